import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { buildContext } from '../local/sqs/sqs-event.js';
import { eventually, tempDir } from '../local/sqs/test-helpers.js';
import { createApiHandler } from './api/create-api-handler.js';
import { createIngestHandler } from './ingest/create-ingest-handler.js';
import { httpEvent } from './test-support/http-event.js';
import { diskReport, envelope } from './test-support/messages.js';
import { startStack } from './test-support/stack.js';

async function stopAll(cleanups: (() => unknown)[]) {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

describe('a restart on the same state folder', () => {
  it('keeps the stored devices and the dead letters', async () => {
    // Oracle: what ingest stored and dead-lettered before the restart is
    // what the API and the DLQ give back after it.
    const outer: (() => unknown)[] = [];
    const stateDir = tempDir(outer, 'upkeep-state-');
    const first: (() => unknown)[] = [];
    const before = await startStack(first, { stateDir });
    const ingest = createIngestHandler({
      config: before.config,
      clients: before.clients,
      logger: before.logger,
    });
    const poller = before.standIn.pollQueue('ingest', ingest);
    first.push(() => poller.stop());
    const report = diskReport('lap-1', { cFreeBytes: 9 * 1024 ** 3 });
    await before.publish(envelope('lap-1', 'reports', report));
    await before.publish(envelope('lap-1', 'reports', diskReport('lap-2')));
    await eventually(() => {
      const s = before.idle();
      return s.visible + s.inFlight === 0 || undefined;
    });
    await stopAll(first);

    const second: (() => unknown)[] = [];
    const after = await startStack(second, { stateDir });
    const api = createApiHandler({
      config: after.config,
      clients: after.clients,
      logger: after.logger,
    });
    const res = (await api(
      httpEvent('GET', '/devices/lap-1', {
        claims: { upkeep_scope: 'msp' },
      }),
      buildContext('api', 10_000, 'us-east-1'),
    )) as APIGatewayProxyStructuredResultV2;
    const dead = await after.deadLetters();
    await stopAll(second);
    await stopAll(outer);

    expect(res.statusCode).toBe(200);
    const body = JSON.parse(String(res.body));
    expect(body.checks[0].reportId).toBe(report.reportId);
    expect(body.findings.map((f: { code: string }) => f.code)).toEqual([
      'disk.low-percent',
    ]);
    expect(dead.map((m) => m.MessageAttributes?.reason?.StringValue)).toEqual([
      'thing-mismatch',
    ]);
  });
});

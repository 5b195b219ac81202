import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { CYCLES } from '../../core/cycles.js';
import type { UpkeepEvent } from '../../core/events.js';
import { Closers } from '../../local/closers.js';
import { createLambdaContext } from '../../local/lambda-context.js';
import { readApiConfig } from '../lib/config.js';
import { DeviceRegistry } from '../lib/device-registry.js';
import { hello } from '../test-support/messages.js';
import { startEventsKit, TABLE } from '../webhooks/test-kit.js';
import { createPresenceHandler } from './create-presence-handler.js';
import { createSweepHandler } from './create-sweep-handler.js';

let closers = new Closers();
afterEach(async () => {
  await closers.closeAll();
  closers = new Closers();
});

const H = 3_600_000;
const NOW = Date.parse('2026-03-11T18:00:00.000Z');
const KINDS = CYCLES.map((c) => c.kind);
const doneAt = (at: number, except: Record<string, string> = {}) => ({
  ...Object.fromEntries(KINDS.map((k) => [k, new Date(at).toISOString()])),
  ...except,
});

describe('sweep events', () => {
  it('sends device.missed-maintenance once, then its resolution', {
    timeout: 20_000,
  }, async () => {
    // Prepare: an online device whose drive check is months overdue.
    const kit = await startEventsKit(closers);
    const seen = kit.capture();
    let clock = NOW;
    const config = readApiConfig(kit.env);
    const sweep = createSweepHandler({
      config,
      clients: kit.clients,
      logger: kit.logger,
      now: () => clock,
      events: kit.findingEvents(() => clock),
    });
    const presence = createPresenceHandler({
      config,
      clients: kit.clients,
      logger: kit.logger,
    });
    const registry = new DeviceRegistry(kit.clients.doc, TABLE);
    await registry.register('lap-1', 'acme', NOW - 30 * 24 * H);
    const lastRuns = doneAt(NOW - H, { smart: '2026-01-01T00:00:00Z' });
    await registry.recordHello('lap-1', { ...hello('lap-1'), lastRuns }, NOW);
    await presence(
      { eventType: 'connected', clientId: 'lap-1', timestamp: NOW - 3 * H },
      createLambdaContext({ functionName: 'presence' }),
    );
    const run = async () => {
      await sweep({}, createLambdaContext({ functionName: 'sweep' }));
      await kit.events.bus.drain();
    };

    // Act: two sweeps while overdue, one after the kind ran.
    await run();
    await run();
    await kit.clients.doc.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: 'DEVICE#lap-1', sk: 'META' },
        UpdateExpression: 'SET hello.lastRuns = :runs',
        ExpressionAttributeValues: { ':runs': doneAt(NOW + H) },
      }),
    );
    clock = NOW + 2 * H;
    await run();

    // Assess
    const details = seen.map((e) => e.detail as UpkeepEvent);
    expect(details.map((d) => d.type)).toEqual([
      'device.missed-maintenance',
      'finding.resolved',
    ]);
    expect(details[0]).toMatchObject({
      clientId: 'acme',
      device: { thingName: 'lap-1' },
      kind: 'smart',
      finding: { code: 'maintenance.missed', subject: 'smart' },
      occurredAt: new Date(NOW).toISOString(),
    });
    expect(details[1]?.ticketId).toBe(details[0]?.id);
  });
});

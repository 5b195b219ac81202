import { verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalJobPayload,
  type JobDocument,
} from '../../core/schemas/job.js';
import { diskReport, envelope, hello } from '../test-support/messages.js';
import { apiKit } from './test-kit.js';

const linuxHello = (thing: string) => ({
  ...hello(thing),
  os: { platform: 'linux', release: '6.1', arch: 'x64', hostname: 'h' },
});

async function fleet() {
  const t = await apiKit();
  await t.ingest('acme', [
    envelope('win-1', 'hello', hello('win-1')),
    envelope('lin-1', 'hello', linuxHello('lin-1')),
  ]);
  // A device that never said hello: its platform is unknown.
  await t.ingest('acme', [envelope('new-1', 'reports', diskReport('new-1'))]);
  return t;
}

describe('on-demand runs', () => {
  it('sends one signed job per device and check and tracks them', async () => {
    const t = await fleet();

    const started = await t.call('POST', '/runs', {
      as: 'client:acme',
      body: {
        target: { clientId: 'acme' },
        action: { kind: 'cycle', cycle: 'disk-space' },
      },
    });
    const { run } = started.json;
    const followed = await t.call('GET', `/runs/${run.runId}`, {
      as: 'client:acme',
    });
    const job = t.jobs.service.job(run.jobs[0].jobId);
    const document = JSON.parse(job.document) as JobDocument;
    const { signature, ...unsigned } = document;

    expect(started.status).toBe(202);
    expect(started.headers.location).toBe(`/runs/${run.runId}`);
    expect(run).toMatchObject({
      clientId: 'acme',
      createdBy: 'client:acme/tester',
      status: 'queued',
      skipped: [{ deviceId: 'new-1', reason: 'platform-unknown' }],
    });
    expect(
      run.jobs.map((j: { deviceId: string }) => j.deviceId).sort(),
    ).toEqual(['lin-1', 'win-1']);
    expect(document).toMatchObject({
      remedy: 'rerun-check',
      params: { check: 'disk-space' },
      recheck: 'disk-space',
      attempt: 1,
    });
    expect(document).not.toHaveProperty('finding');
    expect(
      verify(
        null,
        Buffer.from(canonicalJobPayload(unsigned)),
        t.signingKey.publicKeyPem,
        Buffer.from(signature.value, 'base64'),
      ),
    ).toBe(true);
    expect(followed.json.run.jobs[0].status).toBe('QUEUED');
  });

  it('skips devices that cannot run it, and says why', async () => {
    const t = await fleet();

    const wu = await t.call('POST', '/runs', {
      body: {
        target: { clientId: 'acme' },
        action: { kind: 'remedy', remedy: 'reset-wu-components' },
      },
    });
    const smart = await t.call('POST', '/runs', {
      body: {
        target: { deviceId: 'lin-1' },
        action: { kind: 'cycle', cycle: 'av-definitions' },
      },
    });

    expect(wu.status).toBe(202);
    expect(
      wu.json.run.jobs.map((j: { deviceId: string }) => j.deviceId),
    ).toEqual(['win-1']);
    expect(wu.json.run.skipped).toEqual([
      { deviceId: 'lin-1', reason: 'not-on-platform' },
      { deviceId: 'new-1', reason: 'platform-unknown' },
    ]);
    expect([smart.status, smart.json.error.code]).toEqual([
      422,
      'nothing-to-run',
    ]);
  });

  it('checks remedy params against the allow-list schema', async () => {
    const t = await fleet();

    const bad = await t.call('POST', '/runs', {
      body: {
        target: { deviceId: 'win-1' },
        action: {
          kind: 'remedy',
          remedy: 'start-service',
          params: { service: 'wuauserv; rm -rf /' },
        },
      },
    });
    const unknown = await t.call('POST', '/runs', {
      body: {
        target: { deviceId: 'win-1' },
        action: { kind: 'remedy', remedy: 'format-disk' },
      },
    });

    expect([bad.status, bad.json.error.code]).toEqual([400, 'invalid-params']);
    expect([unknown.status, unknown.json.error.code]).toEqual([
      400,
      'invalid-body',
    ]);
  });

  it('answers the same run for the same Idempotency-Key and body', async () => {
    const t = await fleet();
    const body = {
      target: { deviceId: 'win-1' },
      action: { kind: 'cycle', cycle: 'disk-space' },
    };
    const headers = { 'idempotency-key': 'run-0001' };

    const first = await t.call('POST', '/runs', { body, headers });
    const second = await t.call('POST', '/runs', { body, headers });
    const other = await t.call('POST', '/runs', {
      body: { ...body, target: { deviceId: 'lin-1' } },
      headers,
    });

    expect(second.status).toBe(202);
    expect(second.json.run.runId).toBe(first.json.run.runId);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect([other.status, other.json.error.code]).toEqual([
      422,
      'idempotency-key-reused',
    ]);
  });
});

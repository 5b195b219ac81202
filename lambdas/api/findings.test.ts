import { describe, expect, it } from 'vitest';
import { diskReport, envelope, hello } from '../test-support/messages.js';
import { apiKit, NOW } from './test-kit.js';

async function withFinding() {
  let now = NOW;
  const t = await apiKit({ now: () => now });
  await t.ingest('acme', [envelope('a-1', 'hello', hello('a-1'))]);
  await t.ingest('acme', [
    envelope('a-1', 'reports', diskReport('a-1', { cFreeBytes: 1024 ** 3 })),
  ]);
  const list = await t.call('GET', '/findings', { as: 'client:acme' });
  const findingId = list.json.findings[0].findingId as string;
  return { t, findingId, setNow: (ms: number) => (now = ms) };
}

describe('finding routes', () => {
  it('lists unresolved findings with filters', async () => {
    const { t } = await withFinding();

    const warning = await t.call('GET', '/findings', {
      query: { severity: 'warning', status: 'open' },
    });
    const critical = await t.call('GET', '/findings', {
      query: { severity: 'critical' },
    });

    expect(warning.json.findings).toEqual([
      expect.objectContaining({
        deviceId: 'a-1',
        clientId: 'acme',
        code: 'disk.low-percent',
        subject: 'C:',
        status: 'open',
        attempts: [],
      }),
    ]);
    expect(critical.json.findings).toEqual([]);
  });

  it('acknowledges with a note, keeping the status', async () => {
    const { t, findingId } = await withFinding();

    const res = await t.call('POST', `/findings/${findingId}/acknowledge`, {
      as: 'client:acme',
      body: { note: 'ordering a bigger disk' },
    });

    expect(res.status).toBe(200);
    expect(res.json.finding).toMatchObject({
      status: 'open',
      acknowledgement: {
        by: 'client:acme/tester',
        at: '2026-12-04T09:05:00.000Z',
        note: 'ordering a bigger disk',
      },
    });
  });

  it('suppresses until the expiry, then the finding is open again', async () => {
    const { t, findingId, setNow } = await withFinding();
    const expiresAt = '2026-12-11T09:00:00.000Z';

    const suppressed = await t.call('POST', `/findings/${findingId}/suppress`, {
      body: { reason: 'disk swap booked for Friday', expiresAt },
    });
    const during = await t.call('GET', '/findings', {
      query: { status: 'suppressed' },
    });
    setNow(Date.parse(expiresAt) + 1000);
    const after = await t.call('GET', `/findings/${findingId}`);
    const stored = await t.getItem('DEVICE#a-1', 'FINDING#disk.low-percent#C:');

    expect(suppressed.json.finding).toMatchObject({
      status: 'suppressed',
      suppression: {
        by: 'msp/tester',
        reason: 'disk swap booked for Friday',
        expiresAt,
      },
    });
    expect(during.json.findings).toHaveLength(1);
    expect(after.json.finding).toMatchObject({
      status: 'open',
      suppression: null,
    });
    expect(stored?.status).toBe('open');
  });

  it('refuses a suppression without a future expiry within a year', async () => {
    const { t, findingId } = await withFinding();
    const suppress = (expiresAt: string) =>
      t.call('POST', `/findings/${findingId}/suppress`, {
        body: { reason: 'later', expiresAt },
      });

    const past = await suppress('2026-12-01T00:00:00Z');
    const far = await suppress('2028-01-01T00:00:00Z');

    expect([past.status, past.json.error]).toEqual([
      400,
      expect.objectContaining({ code: 'invalid-expiry', path: 'expiresAt' }),
    ]);
    expect(far.json.error.code).toBe('invalid-expiry');
  });

  it('answers 409 for a resolved finding and 404 for an unknown id', async () => {
    const { t, findingId } = await withFinding();
    await t.ingest('acme', [
      envelope(
        'a-1',
        'reports',
        diskReport('a-1', { finishedAt: '2026-12-04T10:00:00.000Z' }),
      ),
    ]);

    const resolved = await t.call(
      'POST',
      `/findings/${findingId}/acknowledge`,
      {
        body: {},
      },
    );
    const unknown = await t.call('GET', '/findings/bm90LWFuLWlk');

    expect([resolved.status, resolved.json.error.code]).toEqual([
      409,
      'finding-resolved',
    ]);
    expect([unknown.status, unknown.json.error.code]).toEqual([
      404,
      'finding-not-found',
    ]);
  });
});

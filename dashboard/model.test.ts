import { describe, expect, it } from 'vitest';
import {
  awayStatus,
  byPriority,
  complianceByClient,
  complianceFromApi,
  deviceVerdict,
  healthByClient,
  patchState,
  SILENCE_MS,
  volumeRows,
  whatWasTried,
} from './site/js/model.js';

const NOW = Date.parse('2026-12-04T18:00:00.000Z');
const HOUR = 3_600_000;

const check = (name: string, verdict: string, data = {}) => ({
  check: name,
  verdict,
  finishedAt: '2026-12-04T17:00:00.000Z',
  data,
});

describe('deviceVerdict', () => {
  it('is the worst verdict, with unknown above info', () => {
    expect(
      deviceVerdict([
        check('a', 'ok'),
        check('b', 'info'),
        check('c', 'unknown'),
      ]),
    ).toBe('unknown');
    expect(deviceVerdict([check('a', 'unknown'), check('b', 'warning')])).toBe(
      'warning',
    );
  });

  it('is unknown before the first report', () => {
    expect(deviceVerdict([])).toBe('unknown');
  });
});

describe('healthByClient', () => {
  it('counts devices per verdict in each client, clients by name', () => {
    const devices = [
      { deviceId: 'a1', clientId: 'acme' },
      { deviceId: 'a2', clientId: 'acme' },
      { deviceId: 'b1', clientId: 'bolt' },
    ];
    const details = new Map([
      ['a1', { checks: [check('smart', 'critical')] }],
      ['a2', { checks: [check('smart', 'ok')] }],
    ]);

    const rows = healthByClient(devices, details);

    expect(rows.map((r) => r.clientId)).toEqual(['acme', 'bolt']);
    expect(rows[0]).toMatchObject({
      devices: 2,
      verdicts: { critical: 1, ok: 1, warning: 0 },
    });
    expect(rows[1]?.verdicts.unknown).toBe(1);
  });
});

describe('awayStatus', () => {
  const device = (lastSeenAt: string, presence?: Record<string, unknown>) => ({
    deviceId: 'd',
    clientId: 'c',
    registeredAt: '2026-11-01T00:00:00.000Z',
    lastSeenAt,
    ...presence,
  });

  it("takes the API's presence and counts from presenceSince", () => {
    const since = NOW - 3 * HOUR;
    const status = awayStatus(
      device(new Date(since - HOUR).toISOString(), {
        away: true,
        presence: 'connection-lost',
        presenceSince: new Date(since).toISOString(),
      }),
      NOW,
    );

    expect(status).toEqual({
      away: true,
      reason: 'connection lost',
      sinceMs: since,
      forMs: 3 * HOUR,
    });
  });

  it('trusts an online presence over silence', () => {
    const status = awayStatus(
      device(new Date(NOW - 2 * SILENCE_MS).toISOString(), {
        away: false,
        presence: 'online',
        presenceSince: null,
      }),
      NOW,
    );

    expect(status.away).toBe(false);
  });

  it('counts silence past the threshold when the API has no presence', () => {
    const seen = NOW - SILENCE_MS - 1;

    expect(awayStatus(device(new Date(seen).toISOString()), NOW)).toMatchObject(
      { away: true, reason: 'silent', forMs: SILENCE_MS + 1 },
    );
    expect(
      awayStatus(device(new Date(NOW - HOUR).toISOString()), NOW).away,
    ).toBe(false);
  });
});

describe('byPriority', () => {
  it('orders by score, band, severity; drops resolved and suppressed', () => {
    const findings = [
      { code: 'info', severity: 'info', status: 'open' },
      { code: 'crit', severity: 'critical', status: 'open' },
      {
        code: 'scored',
        severity: 'warning',
        status: 'escalated',
        priority: { score: 80, band: 'high' },
      },
      { code: 'done', severity: 'critical', status: 'resolved' },
      { code: 'quiet', severity: 'critical', status: 'suppressed' },
    ];

    expect(byPriority(findings).map((f) => f.code)).toEqual([
      'scored',
      'crit',
      'info',
    ]);
  });
});

describe('whatWasTried', () => {
  it('lists ended jobs with their outcome, then the one in flight', () => {
    const steps = whatWasTried({
      status: 'remediating',
      attempts: [
        {
          remedy: 'wu-retry',
          attempt: 1,
          outcome: 'still-present',
          jobStatus: 'SUCCEEDED',
          issuedAt: '2026-12-01T09:00:00Z',
          closedAt: '2026-12-01T10:00:00Z',
        },
        {
          remedy: 'dism-restore',
          attempt: 2,
          outcome: null,
          jobStatus: null,
          issuedAt: '2026-12-02T10:00:00Z',
          closedAt: null,
        },
      ],
    });

    expect(steps).toEqual([
      {
        kind: 'attempt',
        text: 'wu-retry (attempt 1): still-present',
        at: '2026-12-01T10:00:00Z',
      },
      {
        kind: 'in-flight',
        text: 'dism-restore (attempt 2): running',
        at: '2026-12-02T10:00:00Z',
      },
    ]);
  });

  it('ends with the hand-over when the finding is escalated', () => {
    const plain = whatWasTried({ status: 'escalated', attempts: [] });
    const detailed = whatWasTried({
      status: 'escalated',
      escalation: {
        reason: 'chain-exhausted',
        escalatedAt: '2026-12-03T10:00:00Z',
        humanStep: { remedy: 'in-place-upgrade', params: {} },
      },
    });

    expect(plain.map((s) => s.text)).toEqual(['escalated to a technician']);
    expect(detailed.map((s) => s.text)).toEqual([
      'escalated: chain-exhausted; next: in-place-upgrade',
    ]);
  });
});

describe('patch compliance', () => {
  it('is compliant with no approved update missing and no reboot due', () => {
    expect(
      patchState(check('patch-assessment', 'info', { approved: 0, missing: 4 }))
        ?.compliant,
    ).toBe(true);
    expect(
      patchState(
        check('patch-assessment', 'ok', { approved: 0, rebootPending: true }),
      )?.compliant,
    ).toBe(false);
  });

  it('counts devices never assessed apart from the ratio', () => {
    const devices = [
      { deviceId: 'a', clientId: 'acme' },
      { deviceId: 'b', clientId: 'acme' },
      { deviceId: 'c', clientId: 'acme' },
    ];
    const details = new Map([
      ['a', { checks: [check('patch-assessment', 'ok', { approved: 0 })] }],
      [
        'b',
        { checks: [check('patch-assessment', 'critical', { approved: 3 })] },
      ],
    ]);

    expect(complianceByClient(devices, details)).toEqual([
      {
        clientId: 'acme',
        assessed: 2,
        compliant: 1,
        notAssessed: 1,
        approvedMissing: 3,
        failed: 0,
        pendingReboot: 0,
        ratio: 0.5,
      },
    ]);
  });

  it("reads the API's client summary into the same row", () => {
    const missing = { critical: 1, important: 2, moderate: 0, low: 0 };
    const body = {
      summary: {
        clientId: 'acme',
        devices: 5,
        compliant: 3,
        missingApproved: { ...missing, unrated: 0, total: 3 },
        partial: 1,
        failed: 1,
        pendingReboot: 2,
        neverAssessed: 1,
      },
      devices: [],
    };

    expect(complianceFromApi(body)).toEqual({
      clientId: 'acme',
      assessed: 4,
      compliant: 3,
      notAssessed: 1,
      approvedMissing: 3,
      partial: 1,
      failed: 1,
      pendingReboot: 2,
      ratio: 0.75,
    });
  });
});

describe('volumeRows', () => {
  it('joins each volume with its forecast and counts available bytes', () => {
    const disk = check('disk-space', 'ok', {
      volumes: [
        {
          id: 'C:',
          mount: 'C:\\',
          totalBytes: 1000,
          freeBytes: 300,
          availableBytes: 250,
        },
      ],
      forecasts: [
        { id: 'C:', daysUntilFull: 9.5, bytesPerDay: 20, samples: 4 },
      ],
    });

    expect(volumeRows({ volumes: [] }, disk)).toEqual([
      {
        id: 'C:',
        mount: 'C:\\',
        totalBytes: 1000,
        availableBytes: 250,
        freeBytes: 300,
        freeRatio: 0.25,
        forecast: { id: 'C:', daysUntilFull: 9.5, bytesPerDay: 20, samples: 4 },
      },
    ]);
  });
});

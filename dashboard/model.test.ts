import { describe, expect, it } from 'vitest';
import {
  awayStatus,
  byPriority,
  complianceByClient,
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
  const device = (lastSeenAt: string, presence?: unknown) => ({
    deviceId: 'd',
    clientId: 'c',
    registeredAt: '2026-11-01T00:00:00.000Z',
    lastSeenAt,
    presence,
  });

  it('counts a disconnect from the presence event', () => {
    const at = NOW - 3 * HOUR;
    const status = awayStatus(
      device(new Date(at).toISOString(), { state: 'disconnected', atMs: at }),
      NOW,
    );

    expect(status).toEqual({
      away: true,
      reason: 'disconnected',
      sinceMs: at,
      forMs: 3 * HOUR,
    });
  });

  it('counts silence past the threshold when no event says so', () => {
    const seen = NOW - SILENCE_MS - 1;

    expect(awayStatus(device(new Date(seen).toISOString()), NOW)).toMatchObject(
      { away: true, reason: 'silent', forMs: SILENCE_MS + 1 },
    );
    expect(
      awayStatus(device(new Date(NOW - HOUR).toISOString()), NOW).away,
    ).toBe(false);
  });

  it('trusts a connected presence over silence', () => {
    const status = awayStatus(
      device(new Date(NOW - 2 * SILENCE_MS).toISOString(), {
        state: 'connected',
        atMs: NOW - 2 * SILENCE_MS,
      }),
      NOW,
    );

    expect(status.away).toBe(false);
  });
});

describe('byPriority', () => {
  it('orders by score, then band, then severity, and drops resolved', () => {
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
    ];

    expect(byPriority(findings).map((f) => f.code)).toEqual([
      'scored',
      'crit',
      'info',
    ]);
  });
});

describe('whatWasTried', () => {
  it('lists closed attempts, the job in flight and the escalation', () => {
    const steps = whatWasTried({
      attempts: [
        {
          remedy: 'wu-retry',
          attempt: 1,
          outcome: 'still-present',
          closedAt: '2026-12-01T10:00:00Z',
        },
      ],
      remedy: {
        remedy: 'dism-restore',
        attempt: 2,
        issuedAt: '2026-12-02T10:00:00Z',
      },
      escalation: {
        reason: 'chain-exhausted',
        escalatedAt: '2026-12-03T10:00:00Z',
        humanStep: { remedy: 'in-place-upgrade', params: {} },
      },
    });

    expect(steps.map((s) => s.text)).toEqual([
      'wu-retry (attempt 1): still-present',
      'dism-restore (attempt 2): running',
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
        ratio: 0.5,
      },
    ]);
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

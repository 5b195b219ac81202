import { randomBytes } from 'node:crypto';
import { type Hello, helloSchema } from '../../core/schemas/hello.js';
import { type Report, reportSchema } from '../../core/schemas/report.js';
import { deviceTopic } from '../../core/topics.js';
import { ulid } from '../../core/ulid.js';

/**
 * Test messages shaped like the agent's: a Windows laptop whose C: volume
 * has room (an ok report) or, given a small `cFreeBytes`, is below the 10 %
 * policy share (a report with one warning), and its hello. Every builder
 * validates with the core schema, so a test cannot feed the handler a
 * message the agent could not send.
 */
const GiB = 1024 ** 3;

export function diskReport(
  deviceId: string,
  options: { finishedAt?: string; cFreeBytes?: number; reportId?: string } = {},
): Report {
  const finishedAt = options.finishedAt ?? '2026-12-04T09:00:02.512Z';
  const cFree = options.cFreeBytes ?? Math.round(41.2 * GiB);
  const cTotal = 237 * GiB;
  const low = cFree / cTotal < 0.1;
  return reportSchema.parse({
    v: 1,
    reportId: options.reportId ?? ulid(Date.parse(finishedAt), randomBytes),
    deviceId,
    check: 'disk-space',
    trigger: 'schedule',
    cycleId: 'disk-space-2026-12-04',
    startedAt: new Date(Date.parse(finishedAt) - 1400).toISOString(),
    finishedAt,
    verdict: low ? 'warning' : 'ok',
    data: {
      volumes: [
        volume('C:', 'system', 'NTFS', cTotal, cFree),
        volume('D:', 'data', 'NTFS', 931 * GiB, 412 * GiB),
        {
          id: '\\\\?\\Volume{5c0f4e2a-9d1b-4c7e-8a52-1f3e6b7d9a01}\\',
          fsType: 'NTFS',
          label: 'Recovery',
          role: 'recovery',
          totalBytes: 990 * 1024 ** 2,
          freeBytes: 472 * 1024 ** 2,
          availableBytes: 472 * 1024 ** 2,
        },
      ],
      policy: { floorBytes: 200 * 1024 ** 2, minFreePercent: 10 },
    },
    findings: low
      ? [
          {
            code: 'disk.low-percent',
            severity: 'warning',
            subject: 'C:',
            title: 'Volume is below the policy percent free',
            detail: {
              freeBytes: cFree,
              totalBytes: cTotal,
              minFreePercent: 10,
            },
          },
        ]
      : [],
  });
}

function volume(
  mount: string,
  role: 'system' | 'data',
  fsType: string,
  totalBytes: number,
  freeBytes: number,
) {
  return {
    id: mount,
    mount,
    fsType,
    role,
    totalBytes,
    freeBytes,
    availableBytes: freeBytes,
  };
}

export function hello(deviceId: string): Hello {
  return helloSchema.parse({
    v: 1,
    deviceId,
    sentAt: '2026-12-04T08:59:40.000Z',
    agentVersion: '0.1.0',
    os: {
      platform: 'win32',
      release: '10.0.22631',
      arch: 'x64',
      hostname: 'HOST-REDACTED',
    },
    capabilities: ['disk-space', 'smart', 'patch-assessment'],
    securityProducts: [
      { name: 'Microsoft Defender Antivirus', kind: 'antivirus' },
    ],
    lastRuns: { 'disk-space': '2026-11-20T09:00:02.000Z' },
  });
}

/** The queue message body the topic rule would make of a publish. */
export function envelope(
  thingName: string,
  channel: 'hello' | 'reports',
  payload: unknown,
  options: { clientId?: string; receivedAt?: number; raw?: string } = {},
) {
  const raw = options.raw ?? JSON.stringify(payload);
  return JSON.stringify({
    topic: deviceTopic(thingName, channel),
    clientId: options.clientId ?? thingName,
    receivedAt: options.receivedAt ?? Date.parse('2026-12-04T09:00:03.100Z'),
    payload: Buffer.from(raw, 'utf8').toString('base64'),
  });
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { judgeDiskSpace } from '../../agent/checks/disk-space/judge.js';
import {
  parseWindowsVolumes,
  toMonitoredVolumes,
} from '../../agent/checks/disk-space/windows-volumes.js';
import { buildHello } from '../../agent/messages/hello.js';
import { buildReport, newReportId } from '../../agent/messages/report.js';
import {
  DEFAULT_POLICY,
  deviceTopic,
  type Report,
  type Volume,
} from '../../core/index.js';

/**
 * Disk-space reports as the agent sends them: the Windows probe's recorded
 * Win32_Volume output of two machines (fixtures/cases, see INDEX.md) goes
 * through the agent's own parser, judge and report builder. Each report
 * changes the free space of the system volume, so reports differ and about
 * one in five carries a low-space finding that a later report resolves, as
 * a laptop filling up and being cleaned up would.
 */
const RECORDED_LISTINGS = [
  'disk-win32-volume-recovery-efi.cim-json.txt',
  'disk-win32-logicaldisk-odd-types.machine-a.cim-json.txt',
];

/** Free share of the system volume over a cycle of ten reports. */
const FREE_SHARES = [0.31, 0.27, 0.22, 0.18, 0.15, 0.13, 0.11, 0.09, 0.07, 0.3];

/** First report's finish time; each later one is a minute on. */
const FIRST_FINISH_MS = Date.parse('2026-12-01T09:00:00.000Z');

export interface DevicePayloads {
  thingName: string;
  /** The hello the agent publishes on connect, as JSON. */
  hello: { topic: string; payload: string };
  /** The device's reports in publishing order, as JSON. */
  reports: { topic: string; payload: string; reportId: string }[];
}

/** The thing name of device `index`: bench-dev-001, bench-dev-002, ... */
export function benchThingName(index: number) {
  return `bench-dev-${String(index + 1).padStart(3, '0')}`;
}

/**
 * `reports` reports spread round-robin over `devices` devices, each device
 * with one of the recorded machines' volume layouts.
 */
export function buildFleetPayloads(
  devices: number,
  reports: number,
): DevicePayloads[] {
  const layouts = RECORDED_LISTINGS.map(recordedVolumes);
  return Array.from({ length: devices }, (_, d) => {
    const thingName = benchThingName(d);
    const volumes = layouts[d % layouts.length] ?? [];
    const count =
      Math.floor(reports / devices) + (d < reports % devices ? 1 : 0);
    return {
      thingName,
      hello: helloMessage(thingName),
      reports: Array.from({ length: count }, (_, i) =>
        reportMessage(thingName, volumes, i),
      ),
    };
  });
}

/** One device's n-th report, as the agent builds it. */
export function diskSpaceReport(
  thingName: string,
  volumes: readonly Volume[],
  n: number,
): Report {
  const share = FREE_SHARES[n % FREE_SHARES.length] ?? 0.3;
  const current = volumes.map((v) =>
    v.role === 'system' ? withFree(v, Math.round(v.totalBytes * share) + n) : v,
  );
  const judgement = judgeDiskSpace(current, DEFAULT_POLICY.disk);
  const finishedAt = new Date(FIRST_FINISH_MS + n * 60_000);
  const { floorBytes, minFreePercent } = DEFAULT_POLICY.disk;

  return buildReport(
    {
      thingName,
      check: 'disk-space',
      trigger: 'schedule',
      startedAt: new Date(finishedAt.getTime() - 1_400),
      finishedAt,
      result: {
        ...judgement,
        data: { volumes: current, policy: { floorBytes, minFreePercent } },
      },
    },
    newReportId(finishedAt),
  );
}

/** The monitored volumes of a recorded Win32_Volume listing. */
export function recordedVolumes(fileName: string): Volume[] {
  const path = fileURLToPath(
    new URL(`../../fixtures/cases/${fileName}`, import.meta.url),
  );
  // The first line of a case file is its provenance note.
  const json = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('###'))
    .join('\n');
  return toMonitoredVolumes(parseWindowsVolumes(json)).volumes;
}

function reportMessage(thingName: string, volumes: Volume[], n: number) {
  const report = diskSpaceReport(thingName, volumes, n);
  return {
    topic: deviceTopic(thingName, 'reports'),
    payload: JSON.stringify(report),
    reportId: report.reportId,
  };
}

function helloMessage(thingName: string) {
  const hello = buildHello({
    thingName,
    now: new Date(FIRST_FINISH_MS - 60_000),
    platform: 'win32',
    capabilities: ['disk-space'],
    lastRuns: {},
  });
  return {
    topic: deviceTopic(thingName, 'hello'),
    payload: JSON.stringify(hello),
  };
}

function withFree(volume: Volume, freeBytes: number): Volume {
  return { ...volume, freeBytes, availableBytes: freeBytes };
}

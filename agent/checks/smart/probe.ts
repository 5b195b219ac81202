import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding, Verdict } from '../../../core/index.js';
import { bySeverity, findingFor } from '../../../core/judgement.js';
import { worseVerdict } from '../../../core/verdict.js';
import type { CommandResult } from '../../platform/command.js';
import type { Check, CheckContext, CheckResult } from '../types.js';
import { smartCounters } from './counters.js';
import { arr, obj, str } from './json-fields.js';
import { driveSubject, judgeSmartAttempts } from './judge.js';
import { parseSmartctlJson } from './parse-json.js';
import type { SmartAttempt, SmartBaseline, SmartDevice } from './types.js';

export const smartProbeDefaults = {
  /** The smartctl binary. @default 'smartctl' */
  binary: 'smartctl',
  /** Limit per smartctl call, ms. A sleeping USB disk can take long. @default 60_000 */
  timeoutMs: 60_000,
  /** Device types tried, in order, after an unrecognised USB bridge. */
  bridgeTypes: [
    'sat',
    'sntasmedia',
    'sntjmicron',
    'sntrealtek',
  ] as readonly string[],
};

export interface SmartCheckOptions extends Partial<typeof smartProbeDefaults> {
  /** Where Linux lists block devices. @default '/sys/block' */
  sysBlockRoot?: string;
  /** Devices to read instead of `--scan-open` (`/dev/sda`, `/dev/nvme0`). */
  devices?: readonly string[];
  /** The counters stored after the previous run of this drive. */
  baselineFor?: (device: SmartDevice) => SmartBaseline | undefined;
}

interface ScannedDevice {
  name: string;
  type?: string;
}

/**
 * Disks under /sys/block backed by hardware: their link does not point
 * into /devices/virtual (loop, zram, device-mapper, md).
 */
async function physicalBlockDevices(
  root = '/sys/block',
): Promise<ScannedDevice[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const devices: ScannedDevice[] = [];
  for (const name of names.sort()) {
    const target = await readlink(join(root, name)).catch(() => '');
    if (target && !target.includes('/virtual/')) {
      devices.push({ name: `/dev/${name}` });
    }
  }
  return devices;
}

/**
 * The SMART check: `smartctl --scan-open --json`, then `smartctl --json -a`
 * per drive, retrying unrecognised USB bridges with explicit device types.
 * Every call has a time limit; a missing smartctl, a hang or odd output is
 * a finding with verdict unknown, never a crash.
 */
export function createSmartCheck(options: SmartCheckOptions = {}): Check {
  const config = { ...smartProbeDefaults, ...options };

  return {
    kind: 'smart',
    async run(ctx) {
      const scanned = config.devices
        ? { devices: config.devices.map((name) => ({ name })) }
        : await scan(ctx, config);
      if ('result' in scanned) return scanned.result;
      if (scanned.devices.length === 0 && ctx.platform === 'linux') {
        // smartctl lists only drives it can talk to; the disks it cannot
        // (virtio, Xen, some NVMe-oF) are read anyway, so that each is
        // reported as unreachable instead of the machine looking diskless.
        scanned.devices = await physicalBlockDevices(config.sysBlockRoot);
      }

      if (scanned.devices.length === 0) {
        return unknown([
          findingFor('smart.no-health-data', 'drives', {
            detail: { reason: 'smartctl found no drive' },
          }),
        ]);
      }

      const drives = [];
      for (const device of scanned.devices) {
        drives.push(await readDrive(ctx, config, device));
      }
      return combine(drives);
    },
  };
}

type Config = typeof smartProbeDefaults & SmartCheckOptions;

async function scan(
  ctx: CheckContext,
  config: Config,
): Promise<{ devices: ScannedDevice[] } | { result: CheckResult }> {
  const run = await ctx.run(config.binary, ['--scan-open', '--json'], {
    timeoutMs: config.timeoutMs,
  });
  const failed = callFailed(run, 'smartctl --scan-open');
  if (failed) return { result: unknown([failed]) };

  const doc = parseJson(run.stdout);
  if (!doc) {
    return {
      result: unknown([
        findingFor('agent.output-unparsed', 'smartctl --scan-open', {
          severity: 'info',
          detail: { reason: 'not JSON', exitCode: run.exitCode },
        }),
      ]),
    };
  }
  const devices = arr(doc.devices).flatMap((d) => {
    const name = str(obj(d)?.name);
    const type = str(obj(d)?.type);
    return name ? [{ name, ...(type ? { type } : {}) }] : [];
  });
  return { devices };
}

interface DriveResult {
  verdict: Verdict;
  findings: Finding[];
  data: Record<string, unknown>;
}

async function readDrive(
  ctx: CheckContext,
  config: Config,
  device: ScannedDevice,
): Promise<DriveResult> {
  const attempts: SmartAttempt[] = [];
  const problems: Finding[] = [];

  for (const type of [device.type, ...config.bridgeTypes]) {
    if (attempts.length > 0 && !needsBridgeRetry(attempts)) break;
    if (attempts.length > 0 && type === device.type) continue;

    const args = ['--json', '-a', ...(type ? ['-d', type] : []), device.name];
    const run = await ctx.run(config.binary, args, {
      timeoutMs: config.timeoutMs,
    });
    const failed = callFailed(run, `smartctl -a ${device.name}`);
    if (failed) {
      problems.push(failed);
      break;
    }
    const parsed = parseSmartctlJson(run.stdout);
    if (!parsed.ok) {
      problems.push(unparsedDrive(device, parsed.reason, run));
      break;
    }
    for (const d of parsed.devices) {
      // A document without a device block still names the drive we asked.
      const named = { ...d, name: d.name ?? device.name };
      attempts.push({ ...(type ? { deviceType: type } : {}), device: named });
    }
  }
  return judgeDrive(config, device, attempts, problems);
}

/** Only an unrecognised bridge earns a retry with another device type. */
function needsBridgeRetry(attempts: SmartAttempt[]): boolean {
  const last = attempts[attempts.length - 1]?.device;
  if (!last) return false;
  const noData =
    last.passed === undefined &&
    last.attributes.length === 0 &&
    last.nvme === undefined;
  return (
    noData &&
    last.messages.some((m) => /USB bridge|specify device type/i.test(m))
  );
}

function judgeDrive(
  config: Config,
  device: ScannedDevice,
  attempts: SmartAttempt[],
  problems: Finding[],
): DriveResult {
  if (attempts.length === 0) {
    return {
      verdict: 'unknown',
      findings: problems,
      data: { name: device.name },
    };
  }

  const reached = [...attempts].reverse().find((a) => a.device.model)?.device;
  const baseline = reached ? config.baselineFor?.(reached) : undefined;
  const judged = judgeSmartAttempts(attempts, baseline);
  const last =
    reached ?? (attempts[attempts.length - 1] as SmartAttempt).device;

  return {
    verdict:
      problems.length > 0
        ? worseVerdict(judged.verdict, 'unknown')
        : judged.verdict,
    findings: [...judged.findings, ...problems],
    data: {
      name: device.name,
      drive: driveSubject(last),
      protocol: last.protocol,
      verdict: judged.verdict,
      counters: smartCounters(last).counters,
      // Why a drive is unknown, in smartctl's words ("Unable to detect
      // device type" for a virtio disk without SMART).
      ...(judged.verdict === 'unknown' && last.messages.length > 0
        ? { messages: last.messages.slice(0, 2) }
        : {}),
    },
  };
}

function combine(drives: DriveResult[]): CheckResult {
  return {
    verdict: drives.reduce<Verdict>((v, d) => worseVerdict(v, d.verdict), 'ok'),
    findings: bySeverity(drives.flatMap((d) => d.findings)).slice(0, 50),
    data: { drives: drives.map((d) => d.data) },
  };
}

function unknown(findings: Finding[]): CheckResult {
  return { verdict: 'unknown', findings, data: {} };
}

/** A call that produced nothing to parse: missing binary or time limit. */
function callFailed(run: CommandResult, what: string): Finding | undefined {
  if (run.spawnError) {
    const missing = /ENOENT/.test(run.spawnError);
    return findingFor(
      missing ? 'smart.smartctl-missing' : 'agent.probe-failed',
      what,
      {
        severity: 'info',
        detail: { error: run.spawnError },
      },
    );
  }
  if (run.timedOut) {
    return findingFor('agent.probe-timeout', what, {
      severity: 'info',
      detail: { command: [run.command, ...run.args].join(' ') },
    });
  }
  return undefined;
}

function unparsedDrive(
  device: ScannedDevice,
  reason: string,
  run: CommandResult,
) {
  return findingFor('agent.output-unparsed', device.name, {
    severity: 'info',
    detail: {
      reason,
      exitCode: run.exitCode,
      stderr: run.stderr.slice(0, 200),
    },
  });
}

function parseJson(text: string) {
  try {
    return obj(JSON.parse(text));
  } catch {
    return undefined;
  }
}

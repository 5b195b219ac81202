import {
  catalogueEntry,
  type DiskSpaceData,
  type Finding,
} from '../../../core/index.js';
import { ProbeError } from '../../errors.js';
import type { CommandRunner } from '../../platform/command.js';
import type { Check, CheckContext, CheckResult } from '../types.js';
import { judgeDiskSpace } from './judge.js';
import { probeLinuxVolumes } from './linux-probe.js';
import type { ProbedVolumes } from './types.js';
import { probeWindowsVolumes } from './windows-probe.js';

/** One probe per platform; the check picks by `ctx.platform`. */
export type DiskSpaceProbe = (run: CommandRunner) => Promise<ProbedVolumes>;

export const diskSpaceProbes: Partial<Record<NodeJS.Platform, DiskSpaceProbe>> =
  {
    linux: () => probeLinuxVolumes(),
    win32: (run) => probeWindowsVolumes(run),
  };

/**
 * The disk-space check: probe the volumes, judge each one. A probe that
 * fails gives an `unknown` verdict with an agent.* finding, never `ok`.
 *
 * Known limitation: macOS has no probe yet (APFS volumes share their
 * container's free space, so per-mount statfs would count it once per
 * volume); the check says unknown there until a darwin probe reads
 * `diskutil apfs list`.
 */
export function createDiskSpaceCheck(
  probes: Partial<Record<NodeJS.Platform, DiskSpaceProbe>> = diskSpaceProbes,
): Check {
  return {
    kind: 'disk-space',
    run: (ctx) => runDiskSpace(ctx, probes[ctx.platform]),
  };
}

export const diskSpaceCheck = createDiskSpaceCheck();

async function runDiskSpace(
  ctx: CheckContext,
  probe: DiskSpaceProbe | undefined,
): Promise<CheckResult> {
  const policy = {
    floorBytes: ctx.policy.disk.floorBytes,
    minFreePercent: ctx.policy.disk.minFreePercent,
  };
  try {
    if (!probe) {
      throw new ProbeError('probe-failed', 'no disk-space probe for this OS', {
        platform: ctx.platform,
      });
    }
    const { volumes, skipped } = await probe(ctx.run);
    ctx.logger.debug('disk-space volumes probed', {
      monitored: volumes.map((v) => v.id),
      skipped,
    });

    const { verdict, findings } = judgeDiskSpace(volumes, ctx.policy.disk);
    const data: DiskSpaceData = { volumes, policy };
    return { verdict, findings, data };
  } catch (error) {
    const finding = probeFinding(error);
    ctx.logger.warn('disk-space probe failed', { code: finding.code, error });
    return {
      verdict: 'unknown',
      findings: [finding],
      data: { volumes: [], policy },
    };
  }
}

function probeFinding(error: unknown): Finding {
  const probeError =
    error instanceof ProbeError
      ? error
      : new ProbeError('probe-failed', 'disk-space probe threw', {
          error: error instanceof Error ? error.message : String(error),
        });
  const code = `agent.${probeError.code}`;
  return {
    code,
    severity: catalogueEntry(code)?.severity ?? 'warning',
    subject: 'disk-space',
    title: probeError.message.slice(0, 200),
    detail: probeError.detail,
  };
}

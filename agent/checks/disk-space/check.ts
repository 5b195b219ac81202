import {
  catalogueEntry,
  type DiskSpaceData,
  type Finding,
  verdictOf,
} from '../../../core/index.js';
import { bySeverity } from '../../../core/judgement.js';
import { ProbeError } from '../../errors.js';
import type { CommandRunner } from '../../platform/command.js';
import type { Check, CheckContext, CheckResult } from '../types.js';
import { type DiskExtrasOptions, diskExtras } from './extras.js';
import type { ForecastOptions } from './forecast.js';
import { DiskHistoryStore } from './history-store.js';
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
  options: DiskSpaceCheckOptions = {},
): Check {
  const extras: DiskExtrasOptions = {
    ...(options.stateDir
      ? { history: new DiskHistoryStore(options.stateDir) }
      : {}),
    ...(options.forecast ? { forecast: options.forecast } : {}),
    btrfs: options.btrfs ?? true,
  };
  return {
    kind: 'disk-space',
    run: (ctx) => runDiskSpace(ctx, probes[ctx.platform], extras),
  };
}

export interface DiskSpaceCheckOptions {
  /**
   * The agent's state folder: each volume's free-space samples are kept
   * there for the days-until-full forecast. @default none (no forecast)
   */
  stateDir?: string;
  forecast?: Partial<ForecastOptions>;
  /** Read btrfs chunk allocation on Linux. @default true */
  btrfs?: boolean;
}

export const diskSpaceCheck = createDiskSpaceCheck();

async function runDiskSpace(
  ctx: CheckContext,
  probe: DiskSpaceProbe | undefined,
  extrasOptions: DiskExtrasOptions,
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

    const judged = judgeDiskSpace(volumes, ctx.policy.disk);
    const extras = await diskExtras(ctx, volumes, extrasOptions);
    const findings = bySeverity([...judged.findings, ...extras.findings]);
    const data: DiskSpaceData = {
      volumes,
      ...(extras.btrfs.length > 0 ? { btrfs: extras.btrfs } : {}),
      ...(extras.forecasts.length > 0 ? { forecasts: extras.forecasts } : {}),
      policy,
    };
    return { verdict: verdictOf(findings, judged.verdict), findings, data };
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

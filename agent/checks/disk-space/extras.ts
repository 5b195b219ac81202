import {
  type DiskPolicy,
  type DiskSpaceData,
  type Finding,
  MB,
  type Volume,
} from '../../../core/index.js';
import { findingFor } from '../../../core/judgement.js';
import type { CheckContext } from '../types.js';
import { judgeBtrfs, metadataShare } from './btrfs-judge.js';
import { type BtrfsProbed, probeBtrfs } from './btrfs-probe.js';
import {
  type Forecast,
  type ForecastOptions,
  forecastDefaults,
  forecastFull,
} from './forecast.js';
import type { DiskHistoryStore } from './history-store.js';
import { effectiveFloor } from './judge.js';

/** Policy horizon when the policy names none, days. @default 14 */
export const DEFAULT_FORECAST_HORIZON_DAYS = 14;

export interface DiskExtrasOptions {
  /** Where the samples live; no history, no forecast. */
  history?: DiskHistoryStore;
  forecast?: Partial<ForecastOptions>;
  /** Read btrfs allocation on Linux. @default true */
  btrfs?: boolean;
}

export interface DiskExtras {
  findings: Finding[];
  btrfs: NonNullable<DiskSpaceData['btrfs']>;
  forecasts: NonNullable<DiskSpaceData['forecasts']>;
}

/**
 * What statfs cannot tell: btrfs chunk allocation (a btrfs volume can be
 * full with free data space) and the days until each volume is full.
 */
export async function diskExtras(
  ctx: CheckContext,
  volumes: readonly Volume[],
  options: DiskExtrasOptions,
): Promise<DiskExtras> {
  const btrfs =
    options.btrfs !== false && ctx.platform === 'linux'
      ? await probeBtrfs(ctx.run, volumes)
      : [];
  const forecasts = options.history
    ? await forecastVolumes(ctx, volumes, options.history, options.forecast)
    : [];

  return {
    findings: [
      ...btrfs.flatMap(btrfsFindings),
      ...forecasts.flatMap((f) => forecastFinding(f, ctx.policy.disk)),
    ],
    btrfs: btrfs.map(btrfsView),
    forecasts: forecasts.map(({ volume, forecast }) => ({
      id: volume.id,
      ...forecast,
    })),
  };
}

interface VolumeForecast {
  volume: Volume;
  forecast: Forecast;
}

async function forecastVolumes(
  ctx: CheckContext,
  volumes: readonly Volume[],
  history: DiskHistoryStore,
  overrides: Partial<ForecastOptions> = {},
): Promise<VolumeForecast[]> {
  const options = { ...forecastDefaults, ...overrides };
  const now = ctx.now();
  const samples = await history.record(volumes, now, options, ctx.logger);

  // Recovery and EFI partitions are static and meant to be nearly full.
  const judged = volumes.filter(
    (v) => v.role !== 'recovery' && v.role !== 'efi',
  );
  return judged.flatMap((volume) => {
    const floor = effectiveFloor(volume.totalBytes, ctx.policy.disk);
    const forecast = forecastFull(
      samples.get(volume.id) ?? [],
      now,
      floor,
      options,
    );
    return forecast ? [{ volume, forecast }] : [];
  });
}

function forecastFinding(
  { volume, forecast }: VolumeForecast,
  policy: DiskPolicy,
): Finding[] {
  const horizon = horizonDays(policy);
  // Already at the floor: the floor finding says it, not a forecast.
  if (forecast.daysUntilFull <= 0 || forecast.daysUntilFull > horizon) {
    return [];
  }
  const name = volume.mount ?? volume.id;
  const days = Math.ceil(forecast.daysUntilFull);
  const perDay = Math.round(forecast.bytesPerDay / MB);
  return [
    findingFor('disk.full-forecast', volume.id, {
      title: `${name}: full in about ${days} days at ${perDay} MB a day`,
      detail: { ...forecast, horizonDays: horizon },
    }),
  ];
}

/** The policy's horizon, when it sets a positive one. */
function horizonDays(policy: DiskPolicy): number {
  const value = policy.forecastHorizonDays;
  return value !== undefined && value > 0
    ? value
    : DEFAULT_FORECAST_HORIZON_DAYS;
}

function btrfsFindings(probed: BtrfsProbed): Finding[] {
  if (probed.ok) return judgeBtrfs(probed.id, probed.usage);
  return [
    findingFor('agent.probe-failed', `btrfs ${probed.id}`, {
      severity: 'info',
      detail: {
        command: `btrfs filesystem usage -b ${probed.id}`,
        exitCode: probed.exitCode,
        reason: probed.reason,
      },
    }),
  ];
}

function btrfsView(
  probed: BtrfsProbed,
): NonNullable<DiskSpaceData['btrfs']>[number] {
  if (!probed.ok) return { id: probed.id, error: probed.reason.slice(0, 120) };
  const share = metadataShare(probed.usage);
  return {
    id: probed.id,
    unallocatedBytes: probed.usage.deviceUnallocated,
    metadataPercent: share === undefined ? null : Math.round(share * 1000) / 10,
  };
}

import type { CycleDefinition } from '../../core/index.js';
import {
  type ClamavCheckOptions,
  createClamavCheck,
} from './antivirus/index.js';
import {
  createWindowsAntivirusCheck,
  type WindowsAvCheckOptions,
} from './antivirus/probe-windows.js';
import {
  createXProtectCheck,
  type XProtectCheckOptions,
} from './antivirus/probe-xprotect.js';
import { withProductMemory } from './antivirus/product-memory.js';
import {
  type CleanupCheckOptions,
  createCleanupCheck,
} from './cleanup/index.js';
import {
  createDiskSpaceCheck,
  type DiskSpaceCheckOptions,
  diskSpaceProbes,
} from './disk-space/check.js';
import { createPatchCheck, type PatchCheckOptions } from './patches/index.js';
import type { SmartCheckOptions } from './smart/index.js';
import { createWindowsSmartCheck } from './smart/windows-fallback.js';
import { createBaselinedSmartCheck } from './smart/with-baseline.js';
import {
  createSpywareScanCheck,
  type SpywareCheckOptions,
} from './spyware-scan/index.js';
import type { Check } from './types.js';

export { securityProductsOf } from './security-products.js';

/**
 * What the registry needs to build the checks of one machine. Only the
 * platform and the state folder are required; the rest lets tests and the
 * local stand-in point a check at temp folders (a spyware scan of a small
 * folder instead of the whole disk, for one).
 */
export interface DefaultChecksOptions {
  platform: NodeJS.Platform;
  /**
   * The agent's state folder: cleanup manifests, SMART baselines, disk
   * history, the security products last found.
   */
  stateDir: string;
  /** Forecast window and btrfs reading; history lives in the state folder. */
  disk?: Omit<DiskSpaceCheckOptions, 'stateDir'>;
  cleanup?: Omit<CleanupCheckOptions, 'stateDir'>;
  patches?: PatchCheckOptions;
  spyware?: SpywareCheckOptions;
  smart?: Omit<SmartCheckOptions, 'baselineFor'>;
  /** Linux antivirus (ClamAV database folder). */
  clamav?: ClamavCheckOptions;
  /** Windows antivirus (Defender, SecurityCenter2, vendor timestamps). */
  windowsAntivirus?: WindowsAvCheckOptions;
  /** macOS antivirus (XProtect). */
  xprotect?: XProtectCheckOptions;
}

/**
 * Every maintenance check of this platform, in the order the agent runs
 * the checks of a cycle and the cycles due at a first start:
 *
 *   cleanup ─ disk-space ─ patch-assessment ─ antivirus ─ smart ─ spyware-scan
 *
 * Cleanup comes before disk-space so that the disk figures of the
 * maintenance cycle show what cleanup freed (core/cycles.ts lists them in
 * that order too); the scans come last. Cleanup runs dry unless the
 * policy says `cleanup.dryRun: false`.
 */
export function defaultChecks(options: DefaultChecksOptions): Check[] {
  const { stateDir } = options;
  return [
    createCleanupCheck({ ...options.cleanup, stateDir }),
    createDiskSpaceCheck(diskSpaceProbes, { ...options.disk, stateDir }),
    createPatchCheck(options.patches),
    antivirusCheck(options),
    smartCheck(options),
    createSpywareScanCheck(options.spyware),
  ];
}

/**
 * The platform's antivirus probe, with a memory of the products it found
 * so that the hello can name them.
 */
function antivirusCheck(options: DefaultChecksOptions): Check {
  const probe =
    options.platform === 'win32'
      ? createWindowsAntivirusCheck(options.windowsAntivirus)
      : options.platform === 'darwin'
        ? createXProtectCheck(options.xprotect)
        : createClamavCheck(options.clamav);
  return withProductMemory(probe, options.stateDir);
}

/**
 * SMART with baselines; on Windows with the storage reliability counters
 * for the drives smartctl cannot reach.
 */
function smartCheck(options: DefaultChecksOptions): Check {
  const smart = { ...options.smart, stateDir: options.stateDir };
  return options.platform === 'win32'
    ? createWindowsSmartCheck(smart)
    : createBaselinedSmartCheck(smart);
}

/**
 * The checks one cycle runs, in the cycle's order (maintenance: cleanup,
 * then disk-space, so that the disk figures show what cleanup freed).
 * Kinds this agent lacks are left out; the hello's capabilities say so.
 */
export function cycleChecks(
  checks: readonly Check[],
  cycle: Pick<CycleDefinition, 'checks'>,
): Check[] {
  const byKind = new Map(checks.map((c) => [c.kind, c]));
  return cycle.checks.flatMap((kind) => {
    const check = byKind.get(kind);
    return check ? [check] : [];
  });
}

import {
  REMEDIES,
  type RemedyName,
  type RemedyPlatform,
} from '../../core/index.js';
import { aptInstallPackage } from './apt-install-package.js';
import { cleanup } from './cleanup.js';
import {
  enableRealtimeProtection,
  updateDefenderPlatform,
} from './defender.js';
import { dismRestoreHealth } from './dism-restore-health.js';
import { freeSpaceForWu } from './free-space-for-wu.js';
import { installUpdates, retryUpdate } from './install-updates.js';
import { rerunCheck } from './rerun-check.js';
import { resetWuComponents } from './reset-wu-components.js';
import { setServiceStartup } from './set-service-startup.js';
import { sfcScannow } from './sfc-scannow.js';
import { startService } from './start-service.js';
import type { AnyRemedy } from './types.js';
import { updateAvSignatures } from './update-av-signatures.js';
import { hideUpdate, stopUpdateRetry } from './update-hiding.js';
import {
  checkSystemPartitionSpace,
  checkWinHttpProxy,
} from './wu-diagnostics.js';

/**
 * The remedies this agent implements, by allow-list name. The allow-list
 * (core/remedies.ts) decides what may be asked and checks the params; this
 * registry decides what this agent can do about it on its platform.
 */
export const REMEDY_IMPLEMENTATIONS: readonly AnyRemedy[] = [
  cleanup,
  freeSpaceForWu,
  updateAvSignatures,
  updateDefenderPlatform,
  enableRealtimeProtection,
  startService,
  setServiceStartup,
  resetWuComponents,
  dismRestoreHealth,
  sfcScannow,
  rerunCheck,
  installUpdates,
  retryUpdate,
  hideUpdate,
  stopUpdateRetry,
  checkSystemPartitionSpace,
  checkWinHttpProxy,
  aptInstallPackage,
];

export interface RemedyRegistry {
  /** The implementation for the platform, or undefined. */
  get(name: RemedyName, platform: RemedyPlatform): AnyRemedy | undefined;
  /** Allow-listed names this agent implements on the platform. */
  implemented(platform: RemedyPlatform): RemedyName[];
}

export function createRemedyRegistry(
  implementations: readonly AnyRemedy[] = REMEDY_IMPLEMENTATIONS,
): RemedyRegistry {
  const byName = new Map(implementations.map((r) => [r.name, r]));
  const runsOn = (r: AnyRemedy, p: RemedyPlatform) =>
    r.platforms.includes(p) &&
    (REMEDIES[r.name].platforms as readonly string[]).includes(p);

  return {
    get: (name, platform) => {
      const remedy = byName.get(name);
      return remedy && runsOn(remedy, platform) ? remedy : undefined;
    },
    implemented: (platform) =>
      implementations.filter((r) => runsOn(r, platform)).map((r) => r.name),
  };
}

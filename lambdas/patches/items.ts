import { keys } from '../../core/table.js';

/**
 * Patch Doctor's items in the single table (docs/patch-doctor.md):
 *
 *   CLIENT#<client> / PATCHWAVE#<wave>      a week's deployment: its rings,
 *                                           jobs and the promotion decision
 *   CLIENT#<client> / PATCHAPPROVAL#<id>    an emergency approval (TTL)
 *   DEVICE#<thing>  / PATCHDEPLOY#<wave>#<jobId>
 *                                           what one job sent one device
 */
export type WaveState = 'pilot' | 'broad' | 'halted';

export interface WaveItem {
  pk: string;
  sk: string;
  clientId: string;
  wave: string;
  state: WaveState;
  pilotJobs: string[];
  broadJobs: string[];
  /** When the first pilot job went out, ms. */
  pilotStartedAtMs?: number;
  decision?: string;
  failurePercent?: number;
  decidedAt?: string;
  /** +1 on every write: the write is conditional on the one it read. */
  revision: number;
}

export interface DeployItem {
  pk: string;
  sk: string;
  thingName: string;
  clientId: string;
  wave: string;
  ring: 'pilot' | 'broad';
  jobId: string;
  updates: string[];
  createdAt: string;
}

export interface ApprovalItem {
  pk: string;
  sk: string;
  clientId: string;
  id: string;
  approvedAt: string;
  expiresAtIso: string;
  approvedBy?: string;
  reason?: string;
  /** TTL, seconds since the epoch: the item goes once it expired. */
  expiresAt: number;
}

export const patchKeys = {
  wave: (wave: string) => `PATCHWAVE#${wave}`,
  approval: (id: string) => `PATCHAPPROVAL#${id}`,
  deploy: (wave: string, jobId: string) => `PATCHDEPLOY#${wave}#${jobId}`,
} as const;

export function newWave(clientId: string, wave: string): WaveItem {
  return {
    pk: keys.client(clientId),
    sk: patchKeys.wave(wave),
    clientId,
    wave,
    state: 'pilot',
    pilotJobs: [],
    broadJobs: [],
    revision: 0,
  };
}

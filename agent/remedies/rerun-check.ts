import type { CheckKind } from '../../core/index.js';
import type { RemedyImplementation, RemedyOutcome } from './types.js';

interface RerunParams {
  check?: CheckKind;
  as?: 'system';
}

/**
 * Does nothing but the re-check: for findings that may be transient (a
 * scan that timed out, a WSUS that did not answer). The check is the
 * params' `check`, else the job's `recheck`.
 *
 * Known limitation: `as: 'system'` is recorded, not acted on: the agent
 * runs as one account (SYSTEM on Windows, root on Linux) and has no other
 * to switch to.
 */
export const rerunCheck: RemedyImplementation<RerunParams> = {
  name: 'rerun-check',
  platforms: ['win32', 'linux', 'darwin'],
  idempotent: true,
  recheck: (params) => params.check,
  run: async (_ctx, params): Promise<RemedyOutcome> => ({
    ok: true,
    summary: 'check run again',
    details: params.as ? { as: params.as } : {},
  }),
};

import {
  DEFAULT_POLICY,
  type PatchPolicy,
  type PatchRolloutPolicy,
  type Policy,
  type RebootPolicy,
} from '../policy.js';

/** A patch policy with every optional part filled from the defaults. */
export type PatchSettings = Required<PatchPolicy>;

const DEFAULTS = DEFAULT_POLICY.patches as PatchSettings;

/**
 * The effective patch settings of a policy: a policy written before a
 * field existed takes the default, nested sections key by key.
 */
export function patchSettings(policy: Pick<Policy, 'patches'>): PatchSettings {
  const own = policy.patches ?? DEFAULTS;
  return {
    ...DEFAULTS,
    ...own,
    rollout: { ...DEFAULTS.rollout, ...own.rollout } as PatchRolloutPolicy,
    reboot: { ...DEFAULTS.reboot, ...own.reboot } as RebootPolicy,
  };
}

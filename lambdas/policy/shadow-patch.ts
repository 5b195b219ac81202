import {
  isObject,
  type Policy,
  type PolicyOverride,
} from '../../core/index.js';

/**
 * The `state.desired` of an UpdateThingShadow that turns the shadow's
 * desired state from `previous` into `next`: the shadow merges an update
 * into what it holds, so a field the new policy no longer has is sent as
 * `null`, which deletes it; objects are patched field by field, arrays and
 * scalars replaced.
 */
export function shadowPatch(
  previous: PolicyOverride | undefined,
  next: PolicyOverride,
): PolicyOverride {
  const patch: PolicyOverride = {};
  for (const key of Object.keys(previous ?? {})) {
    if (!(key in next)) patch[key] = null;
  }
  for (const [key, value] of Object.entries(next)) {
    const before = previous?.[key];
    patch[key] =
      isObject(value) && isObject(before) ? shadowPatch(before, value) : value;
  }
  return patch;
}

/** The desired document of the policy shadow: the policy itself. */
export function desiredOf(policy: Policy): PolicyOverride {
  return structuredClone(policy) as unknown as PolicyOverride;
}

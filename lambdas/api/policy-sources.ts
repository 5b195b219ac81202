import {
  isObject,
  POLICY_LAYERS,
  type PolicyLayers,
} from '../../core/policy-inheritance.js';
import type { PolicySource } from '../../core/schemas/api-policy.js';

/**
 * Where each value of an effective policy comes from: the defaults or the
 * last layer that set it, following the merge rules of
 * core/policy-inheritance.ts (objects merge key by key; arrays and scalars
 * are set whole; null removes). Keys are dotted leaf paths of the
 * effective policy, e.g. `patches.mode`; arrays are leaves.
 */
export function policySources(
  effective: Record<string, unknown>,
  layers: PolicyLayers,
): Record<string, PolicySource> {
  const sources = new Map<string, PolicySource>();
  for (const kind of POLICY_LAYERS) {
    const layer = layers[kind];
    if (layer) record(sources, layer, '', kind);
  }

  const result: Record<string, PolicySource> = {};
  for (const path of leafPaths(effective, '')) {
    if (path === 'version') continue;
    result[path] = sources.get(path) ?? 'default';
  }
  return result;
}

function record(
  sources: Map<string, PolicySource>,
  override: Record<string, unknown>,
  prefix: string,
  kind: PolicySource,
) {
  for (const [key, value] of Object.entries(override)) {
    const path = prefix + key;
    if (value === undefined) continue;
    if (isObject(value)) {
      record(sources, value, `${path}.`, kind);
      continue;
    }
    for (const known of [...sources.keys()]) {
      if (known.startsWith(`${path}.`)) sources.delete(known);
    }
    if (value === null) sources.delete(path);
    else sources.set(path, kind);
  }
}

function leafPaths(value: Record<string, unknown>, prefix: string): string[] {
  return Object.entries(value).flatMap(([key, inner]) =>
    isObject(inner) ? leafPaths(inner, `${prefix}${key}.`) : [prefix + key],
  );
}

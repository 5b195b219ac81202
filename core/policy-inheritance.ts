import { CYCLES, type CycleKind } from './cycles.js';
import { type CycleSettings, DEFAULT_POLICY, type Policy } from './policy.js';
import { assertMaintenanceWindow } from './schedule/maintenance-window.js';
import { assertTimeZone } from './schedule/zoned-time.js';

/**
 * The effective policy of a device (DESIGN §6, issue 5): the MSP defaults
 * (DEFAULT_POLICY) overridden by up to four layers, later ones winning:
 *
 *   DEFAULT_POLICY ◀── msp ◀── client ◀── site ◀── device
 *
 * Merge rules, one level at a time:
 *   - a key a layer leaves out is inherited;
 *   - objects merge key by key;
 *   - arrays and scalars are values: the layer's replaces the inherited
 *     one whole (a client whitelist is not added to the MSP's; to extend a
 *     list, a layer repeats it);
 *   - `null` removes an optional field (maintenanceWindow, a cycle entry)
 *     that a layer above set; a field every policy has cannot be removed;
 *   - a value must have the type of the default at the same path.
 * `timeZone` and `cycles` decide which cycle triggers a device's group gets
 * (one topic per client or site), so a device layer may not set them.
 *
 * The version is a hash of the effective content (FNV-1a, 32 bits, over
 * canonical JSON): the same layers give the same version on every
 * computation, with no counter to store. It says "same or different",
 * not "newer": the shadow document's own version orders changes.
 */
export const POLICY_LAYERS = ['msp', 'client', 'site', 'device'] as const;
export type PolicyLayerKind = (typeof POLICY_LAYERS)[number];

export type PolicyOverride = { [key: string]: unknown };
export type PolicyLayers = Partial<Record<PolicyLayerKind, PolicyOverride>>;

export const POLICY_ERROR_CODES = [
  'unknown-field',
  'wrong-type',
  'required-field-cleared',
  'not-overridable-here',
  'invalid-value',
] as const;
export type PolicyErrorCode = (typeof POLICY_ERROR_CODES)[number];

/** A policy layer that cannot be applied; `path` names the field. */
export class PolicyError extends Error {
  readonly code: PolicyErrorCode;
  readonly path: string;

  constructor(code: PolicyErrorCode, path: string, message: string) {
    super(message);
    this.name = 'PolicyError';
    this.code = code;
    this.path = path;
  }
}

/** Fields that only the group layers (msp, client, site) may set. */
const GROUP_FIELDS = new Set(['timeZone', 'cycles']);

/** Optional fields DEFAULT_POLICY leaves out, with their shape. */
const OPTIONAL_FIELDS: Record<string, unknown> = {
  maintenanceWindow: { start: '', end: '' },
  cycles: Object.fromEntries(CYCLES.map((c) => [c.kind, { enabled: true }])),
};

/** The effective policy of the layers, with its content version. */
export function effectivePolicy(
  layers: PolicyLayers,
  base: Policy = DEFAULT_POLICY,
): Policy {
  let merged = withoutVersion(base);
  for (const kind of POLICY_LAYERS) {
    const layer = layers[kind];
    if (!layer) continue;
    validateOverride(kind, layer);
    merged = mergeObject(merged, layer);
  }
  return { ...merged, version: policyVersion(merged) } as Policy;
}

/**
 * Checks one layer against the rules above; throws PolicyError with the
 * path of the first field that breaks one.
 */
export function validateOverride(kind: PolicyLayerKind, layer: unknown) {
  if (!isObject(layer)) {
    throw new PolicyError('wrong-type', '', 'a policy layer is a JSON object');
  }
  for (const [key, value] of Object.entries(layer)) {
    if (key === 'version') {
      throw new PolicyError(
        'not-overridable-here',
        key,
        'version is computed from the content; a layer cannot set it',
      );
    }
    if (kind === 'device' && GROUP_FIELDS.has(key)) {
      throw new PolicyError(
        'not-overridable-here',
        key,
        `${key} is set per client or site (it picks the cycle triggers of ` +
          'the group), not per device',
      );
    }
    const template = templateOf(key);
    checkValue(key, value, template, key in OPTIONAL_FIELDS);
  }
  checkSemantics(layer);
}

function templateOf(key: string): unknown {
  const known = (DEFAULT_POLICY as unknown as PolicyOverride)[key];
  const template = known ?? OPTIONAL_FIELDS[key];
  if (template === undefined) {
    throw new PolicyError('unknown-field', key, `unknown policy field ${key}`);
  }
  return template;
}

function checkValue(
  path: string,
  value: unknown,
  template: unknown,
  optional: boolean,
) {
  if (value === null) {
    if (optional) return;
    throw new PolicyError(
      'required-field-cleared',
      path,
      `${path} is part of every policy and cannot be removed`,
    );
  }
  if (isObject(template)) {
    if (!isObject(value)) throw wrongType(path, 'an object', value);
    for (const [key, inner] of Object.entries(value)) {
      const sub = path === 'cycles' ? { enabled: true } : template[key];
      if (sub === undefined) {
        throw new PolicyError(
          'unknown-field',
          `${path}.${key}`,
          `unknown policy field ${path}.${key}`,
        );
      }
      checkValue(`${path}.${key}`, inner, sub, path === 'cycles');
    }
    return;
  }
  if (Array.isArray(template)) {
    if (!Array.isArray(value)) throw wrongType(path, 'an array', value);
    return;
  }
  if (typeof value !== typeof template) {
    throw wrongType(path, `a ${typeof template}`, value);
  }
}

function checkSemantics(layer: PolicyOverride) {
  const { timeZone, maintenanceWindow, cycles } = layer;
  if (typeof timeZone === 'string') {
    invalidAs('timeZone', () => assertTimeZone(timeZone));
  }
  if (isObject(maintenanceWindow)) {
    const window = maintenanceWindow as { start: string; end: string };
    invalidAs('maintenanceWindow', () => assertMaintenanceWindow(window));
  }
  const kinds = new Set<string>(CYCLES.map((c) => c.kind));
  for (const kind of Object.keys(isObject(cycles) ? cycles : {})) {
    if (!kinds.has(kind)) {
      throw new PolicyError(
        'unknown-field',
        `cycles.${kind}`,
        `unknown cycle kind ${kind}; known: ${[...kinds].join(', ')}`,
      );
    }
  }
}

function invalidAs(path: string, check: () => void) {
  try {
    check();
  } catch (error) {
    throw new PolicyError('invalid-value', path, (error as Error).message);
  }
}

function wrongType(path: string, expected: string, value: unknown) {
  const got = Array.isArray(value) ? 'array' : typeof value;
  return new PolicyError(
    'wrong-type',
    path,
    `${path} must be ${expected}, got ${got}`,
  );
}

/** Applies one override to a merged policy (the rules at the top). */
export function mergeObject(
  base: PolicyOverride,
  override: PolicyOverride,
): PolicyOverride {
  const merged: PolicyOverride = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    if (value === null) {
      delete merged[key];
    } else if (isObject(value) && isObject(merged[key])) {
      merged[key] = mergeObject(merged[key] as PolicyOverride, value);
    } else {
      merged[key] = structuredClone(value);
    }
  }
  return merged;
}

/** Whether the policy runs a cycle kind (absent entries run). */
export function cycleEnabled(policy: Policy, kind: string): boolean {
  const cycles: CycleSettings | undefined = policy.cycles;
  return cycles?.[kind as CycleKind]?.enabled !== false;
}

/** The content version: FNV-1a over canonical JSON, 1..2^32-1. */
export function policyVersion(content: PolicyOverride): number {
  let hash = 0x811c9dc5;
  for (const char of canonicalJson(withoutVersion(content))) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash === 0 ? 1 : hash;
}

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (isObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => value[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

function withoutVersion(policy: object): PolicyOverride {
  const { version: _version, ...rest } = policy as PolicyOverride;
  return rest;
}

/**
 * Reads an effective policy as the agent receives it (the shadow's desired
 * state): fields this agent does not know are dropped, so that an older
 * agent applies what it understands of a newer policy; a known field of
 * the wrong type is refused (PolicyError).
 */
export function readEffectivePolicy(document: unknown): Policy {
  if (!isObject(document)) {
    throw new PolicyError('wrong-type', '', 'a policy is a JSON object');
  }
  const { version, ...content } = document;
  if (!Number.isSafeInteger(version) || (version as number) < 1) {
    throw new PolicyError(
      'invalid-value',
      'version',
      `version must be a positive integer, got ${JSON.stringify(version)}`,
    );
  }
  const known = Object.fromEntries(
    Object.entries(content).filter(
      ([key]) => key in DEFAULT_POLICY || key in OPTIONAL_FIELDS,
    ),
  );
  validateOverride('site', known);
  const policy = mergeObject(withoutVersion(DEFAULT_POLICY), known);
  return { ...policy, version } as Policy;
}

export function isObject(value: unknown): value is PolicyOverride {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import * as z from 'zod';
import { CYCLES } from '../cycles.js';
import { DEFAULT_POLICY } from '../policy.js';
import { POLICY_LAYERS } from '../policy-inheritance.js';

/**
 * The policy bodies of the HTTP API, derived from DEFAULT_POLICY so that a
 * field added to the policy model appears in the API and its OpenAPI
 * document without another edit. core/policy-inheritance.ts stays the
 * authority on what a layer may hold; these schemas describe it.
 */
type Template = Record<string, unknown>;

function isTemplateObject(value: unknown): value is Template {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema of a value shaped like `template`; `partial` for layers. */
function shapeOf(template: unknown, partial: boolean): z.ZodType {
  if (isTemplateObject(template)) {
    const shape = Object.fromEntries(
      Object.entries(template).map(([key, inner]) => {
        const schema = shapeOf(inner, partial);
        return [key, partial ? schema.optional() : schema];
      }),
    );
    return z.strictObject(shape);
  }
  if (Array.isArray(template)) {
    // An empty default list holds strings (KBs, codes, categories).
    const [first] = template;
    return z.array(first === undefined ? z.string() : shapeOf(first, false));
  }
  if (typeof template === 'number') return z.number();
  if (typeof template === 'boolean') return z.boolean();
  return z.string();
}

const maintenanceWindowSchema = z.strictObject({
  /** HH:MM in the policy's time zone. */
  start: z.string(),
  end: z.string(),
});

const cycleSettingsSchema = z.strictObject(
  Object.fromEntries(
    CYCLES.map((c) => [
      c.kind,
      z.strictObject({ enabled: z.boolean() }).nullable().optional(),
    ]),
  ),
);

const { version: _version, ...content } = DEFAULT_POLICY;

/**
 * A policy layer (MSP, client, site or device): only what it overrides.
 * `null` removes an optional field a layer above set.
 */
export const policyLayerSchema = z.strictObject({
  ...(shapeOf(content, true) as z.ZodObject).shape,
  maintenanceWindow: maintenanceWindowSchema.nullable().optional(),
  cycles: cycleSettingsSchema.nullable().optional(),
});

/** The effective policy: DEFAULT_POLICY with every layer applied. */
export const effectivePolicySchema = z.strictObject({
  ...(shapeOf(content, false) as z.ZodObject).shape,
  version: z.number().int(),
  maintenanceWindow: maintenanceWindowSchema.optional(),
  cycles: cycleSettingsSchema.optional(),
});

export const POLICY_SOURCES = ['default', ...POLICY_LAYERS] as const;
export type PolicySource = (typeof POLICY_SOURCES)[number];

export const policyScopeSchema = z.strictObject({
  kind: z.enum(POLICY_LAYERS),
  clientId: z.string().optional(),
  siteId: z.string().optional(),
  deviceId: z.string().optional(),
});

/** A layer, its revision (the ETag) and the policy in effect there. */
export const policyLayerViewSchema = z.strictObject({
  scope: policyScopeSchema,
  layer: policyLayerSchema,
  /** 0 while the layer was never written. */
  revision: z.number().int().min(0),
  updatedAt: z.iso.datetime({ offset: true }).nullable(),
  /** The policy at this level: the defaults and the layers down to it. */
  effective: effectivePolicySchema,
  /** For each leaf path of `effective`, the layer that set its value. */
  sources: z.record(z.string(), z.enum(POLICY_SOURCES)),
});

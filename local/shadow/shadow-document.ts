import { isDeepStrictEqual } from 'node:util';

/**
 * Device Shadow documents as AWS IoT keeps them (pure: the caller passes
 * the time in). https://docs.aws.amazon.com/iot/latest/developerguide/
 * device-shadow-document.html
 *
 *   stored     { state: {desired, reported}, metadata: {desired, reported},
 *                version }
 *   update     { state: {desired?, reported?}, clientToken?, version? }
 *
 * Update rules: fields a request leaves out are kept; objects merge; a
 * `null` field is deleted, a `null` section (`"desired": null`) deletes the
 * section; arrays and scalars replace. A request `version` other than the
 * stored one is a conflict (409). Each accepted update adds one to the
 * version. Metadata mirrors the state with `{timestamp}` (seconds) at each
 * leaf, per element for arrays.
 *
 * The delta holds every desired field that reported lacks or holds with
 * another value (objects compared field by field, arrays as whole values);
 * reported fields desired does not name are not part of it.
 */
export type Json =
  | null
  | boolean
  | number
  | string
  | Json[]
  | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type Section = 'desired' | 'reported';
const SECTIONS: readonly Section[] = ['desired', 'reported'];

export interface StoredShadow {
  state: Partial<Record<Section, JsonObject>>;
  metadata: Partial<Record<Section, JsonObject>>;
  version: number;
}

export const shadowLimits = {
  /** State (desired + reported) size, bytes: the default IoT quota. */
  maxStateBytes: 8 * 1024,
  /** Nesting of desired and reported, levels. */
  maxDepth: 6,
};

/** A refused request, as the `/rejected` topics and the HTTP API say it. */
export class ShadowRequestError extends Error {
  readonly code: 400 | 404 | 409 | 413;

  constructor(code: 400 | 404 | 409 | 413, message: string) {
    super(message);
    this.name = 'ShadowRequestError';
    this.code = code;
  }
}

export interface UpdateRequest {
  state: Partial<Record<Section, JsonObject | null>>;
  clientToken?: string;
  version?: number;
}

/** Checks an update request's shape; throws ShadowRequestError 400. */
export function parseUpdateRequest(payload: string): UpdateRequest {
  const body = parseJson(payload);
  if (!isObject(body) || !isObject(body.state)) {
    throw new ShadowRequestError(400, 'Missing required node: state');
  }
  for (const key of Object.keys(body.state)) {
    const value = body.state[key];
    if (!SECTIONS.includes(key as Section)) {
      throw new ShadowRequestError(400, `Unsupported state node: ${key}`);
    }
    if (value !== null && !isObject(value)) {
      throw new ShadowRequestError(400, `State node ${key} must be an object`);
    }
    if (isObject(value) && depth(value) > shadowLimits.maxDepth) {
      throw new ShadowRequestError(
        400,
        `JSON contains too many levels of nesting; maximum is ${shadowLimits.maxDepth}`,
      );
    }
  }
  checkTokenAndVersion(body);
  return body as unknown as UpdateRequest;
}

function checkTokenAndVersion(body: JsonObject) {
  const { clientToken, version } = body;
  if (clientToken !== undefined && typeof clientToken !== 'string') {
    throw new ShadowRequestError(400, 'clientToken must be a string');
  }
  if (
    version !== undefined &&
    (typeof version !== 'number' || !Number.isSafeInteger(version))
  ) {
    throw new ShadowRequestError(400, 'version must be an integer');
  }
}

/** The optional `{clientToken}` of a get request. */
export function parseGetRequest(payload: string): { clientToken?: string } {
  if (payload.trim() === '') return {};
  const body = parseJson(payload);
  if (!isObject(body)) {
    throw new ShadowRequestError(400, 'The request body must be an object');
  }
  checkTokenAndVersion(body);
  return typeof body.clientToken === 'string'
    ? { clientToken: body.clientToken }
    : {};
}

/** The shadow after an update; throws ShadowRequestError 409 or 413. */
export function applyUpdate(
  current: StoredShadow | undefined,
  request: UpdateRequest,
  timestamp: number,
): StoredShadow {
  const version = current?.version ?? 0;
  if (request.version !== undefined && request.version !== version) {
    throw new ShadowRequestError(409, 'Version conflict');
  }

  const next: StoredShadow = {
    state: structuredClone(current?.state ?? {}),
    metadata: structuredClone(current?.metadata ?? {}),
    version: version + 1,
  };
  for (const section of SECTIONS) {
    const patch = request.state[section];
    if (patch === undefined) continue;
    if (patch === null) {
      delete next.state[section];
      delete next.metadata[section];
      continue;
    }
    const merged = mergeSection(
      next.state[section] ?? {},
      next.metadata[section] ?? {},
      patch,
      timestamp,
    );
    next.state[section] = merged.state;
    next.metadata[section] = merged.metadata;
  }

  const size = Buffer.byteLength(JSON.stringify(next.state));
  if (size > shadowLimits.maxStateBytes) {
    throw new ShadowRequestError(
      413,
      `The state document is ${size} bytes; the limit is ${shadowLimits.maxStateBytes}`,
    );
  }
  return next;
}

function mergeSection(
  state: JsonObject,
  metadata: JsonObject,
  patch: JsonObject,
  timestamp: number,
): { state: JsonObject; metadata: JsonObject } {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete state[key];
      delete metadata[key];
    } else if (isObject(value) && isObject(state[key])) {
      const inner = mergeSection(
        state[key] as JsonObject,
        isObject(metadata[key]) ? (metadata[key] as JsonObject) : {},
        value,
        timestamp,
      );
      state[key] = inner.state;
      metadata[key] = inner.metadata;
    } else {
      state[key] = stripNulls(value);
      metadata[key] = metadataOf(state[key], timestamp);
    }
  }
  return { state, metadata };
}

/** A new object may carry nulls; they delete nothing and are not kept. */
function stripNulls(value: Json): Json {
  if (!isObject(value)) return structuredClone(value);
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner !== null) out[key] = stripNulls(inner);
  }
  return out;
}

/** `{timestamp}` at each leaf of a value. */
export function metadataOf(value: Json, timestamp: number): Json {
  if (Array.isArray(value)) return value.map((v) => metadataOf(v, timestamp));
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, metadataOf(v, timestamp)]),
    );
  }
  return { timestamp };
}

/** Desired fields that reported lacks or holds with another value. */
export function deltaOf(
  desired: JsonObject | undefined,
  reported: JsonObject | undefined,
): JsonObject {
  const delta: JsonObject = {};
  for (const [key, want] of Object.entries(desired ?? {})) {
    const have = reported?.[key];
    if (isObject(want) && isObject(have)) {
      const inner = deltaOf(want, have);
      if (Object.keys(inner).length > 0) delta[key] = inner;
    } else if (!isDeepStrictEqual(want, have)) {
      delta[key] = structuredClone(want);
    }
  }
  return delta;
}

/** The metadata of the fields a delta names (from desired). */
export function deltaMetadata(delta: JsonObject, metadata: JsonObject) {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(delta)) {
    const meta = metadata[key];
    out[key] =
      isObject(value) && isObject(meta)
        ? deltaMetadata(value, meta)
        : (meta ?? null);
  }
  return out;
}

function parseJson(payload: string): Json {
  try {
    return JSON.parse(payload) as Json;
  } catch {
    throw new ShadowRequestError(400, 'Payload contains invalid json');
  }
}

function depth(value: Json): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depth));
  if (isObject(value)) {
    return 1 + Math.max(0, ...Object.values(value).map(depth));
  }
  return 0;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

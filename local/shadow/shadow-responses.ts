import {
  deltaMetadata,
  deltaOf,
  isObject,
  type JsonObject,
  type Section,
  type StoredShadow,
  type UpdateRequest,
} from './shadow-document.js';

/**
 * The documents the shadow service answers with, in the shapes AWS IoT
 * publishes on `/get/accepted`, `/update/accepted`, `/update/delta`,
 * `/update/documents` and the `/rejected` topics. `timestamp` is seconds.
 */
export interface Answer {
  /** Topic suffix after the shadow prefix, e.g. `update/delta`. */
  suffix: string;
  body: JsonObject;
}

function withToken(body: JsonObject, clientToken: string | undefined) {
  return clientToken === undefined ? body : { ...body, clientToken };
}

/** `/get/accepted`, also the body of GetThingShadow. */
export function getAccepted(
  shadow: StoredShadow,
  timestamp: number,
  clientToken?: string,
): JsonObject {
  const delta = deltaOf(shadow.state.desired, shadow.state.reported);
  const state: JsonObject = { ...shadow.state };
  if (Object.keys(delta).length > 0) state.delta = delta;
  return withToken(
    {
      state,
      metadata: { ...shadow.metadata },
      version: shadow.version,
      timestamp,
    },
    clientToken,
  );
}

/**
 * What an accepted update publishes, in order: `update/accepted` (the
 * request's state and the metadata of the fields it set), `update/delta`
 * when the request set desired state that reported does not match yet,
 * and `update/documents` (the shadow before and after).
 */
export function updateAnswers(
  before: StoredShadow | undefined,
  after: StoredShadow,
  request: UpdateRequest,
  timestamp: number,
): Answer[] {
  const { clientToken } = request;
  const answers: Answer[] = [
    {
      suffix: 'update/accepted',
      body: withToken(
        {
          state: request.state as JsonObject,
          metadata: requestMetadata(after, request, timestamp),
          version: after.version,
          timestamp,
        },
        clientToken,
      ),
    },
  ];

  const delta = deltaOf(after.state.desired, after.state.reported);
  if (request.state.desired && Object.keys(delta).length > 0) {
    const metadata = deltaMetadata(delta, after.metadata.desired ?? {});
    answers.push({
      suffix: 'update/delta',
      body: withToken(
        { state: delta, metadata, version: after.version, timestamp },
        clientToken,
      ),
    });
  }

  const documents: JsonObject = { current: snapshot(after), timestamp };
  if (before) documents.previous = snapshot(before);
  answers.push({
    suffix: 'update/documents',
    body: withToken(documents, clientToken),
  });
  return answers;
}

export function rejected(
  operation: 'get' | 'update',
  code: number,
  message: string,
  timestamp: number,
  clientToken?: string,
): Answer {
  return {
    suffix: `${operation}/rejected`,
    body: withToken({ code, message, timestamp }, clientToken),
  };
}

function snapshot(shadow: StoredShadow): JsonObject {
  return {
    state: { ...shadow.state },
    metadata: { ...shadow.metadata },
    version: shadow.version,
  };
}

/** The stored metadata of exactly the fields the request set. */
function requestMetadata(
  after: StoredShadow,
  request: UpdateRequest,
  timestamp: number,
) {
  const out: JsonObject = {};
  for (const section of ['desired', 'reported'] as Section[]) {
    const patch = request.state[section];
    if (!isObject(patch)) continue;
    out[section] = pick(patch, after.metadata[section] ?? {}, timestamp);
  }
  return out;
}

/** A deleted field has no stored metadata: it gets the update's time. */
function pick(
  patch: JsonObject,
  metadata: JsonObject,
  timestamp: number,
): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(patch)) {
    const meta = metadata[key];
    if (value === null || meta === undefined) {
      out[key] = { timestamp };
    } else if (isObject(value) && isObject(meta)) {
      out[key] = pick(value, meta, timestamp);
    } else {
      out[key] = meta;
    }
  }
  return out;
}

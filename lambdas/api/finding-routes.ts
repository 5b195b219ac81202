import * as z from 'zod';
import {
  acknowledgeBodySchema,
  findingDetailSchema,
  findingListSchema,
  suppressBodySchema,
} from '../../core/schemas/api.js';
import { SEVERITIES } from '../../core/verdict.js';
import { findingKeyOf } from '../lib/remedy-steps.js';
import { indexesInView } from './client-index.js';
import { pageOf } from './cursor.js';
import { parseFindingId } from './finding-id.js';
import { cursorParam, limitParam } from './query.js';
import { ApiError } from './responses.js';
import { type ApiRequest, defineRoutes } from './route-types.js';
import type { ApiServices } from './services.js';
import { actorOf, seesClient } from './token-scope.js';
import { findingView, type StoredFinding } from './views.js';

/** The statuses gsi1 holds: every finding not resolved. */
const UNRESOLVED = ['open', 'remediating', 'escalated', 'suppressed'] as const;

/** A suppression lasts at most this long, ms (a year). */
const MAX_SUPPRESSION_MS = 366 * 24 * 3600 * 1000;

const listQuery = z.object({
  clientId: z.string().min(1).optional(),
  deviceId: z.string().min(1).optional(),
  severity: z.enum(SEVERITIES).optional(),
  status: z.enum(UNRESOLVED).optional(),
  limit: limitParam(100, 500),
  cursor: cursorParam,
});

/**
 * A suppression that has expired is ended when it is read: the finding is
 * open again (a conditional write, so two readers end it once) and the
 * next report of its check starts the remedy chain.
 */
async function withExpiry(
  services: ApiServices,
  item: StoredFinding,
): Promise<StoredFinding> {
  const expiresAt = item.suppression?.expiresAt;
  const expired =
    item.status === 'suppressed' &&
    expiresAt !== undefined &&
    Date.parse(expiresAt) <= services.now();
  if (!expired) return item;

  await services.findings.reopenExpired(
    findingKeyOf(item.thingName, item.code, item.subject),
    expiresAt,
  );
  const { suppression: _ended, ...rest } = item;
  return { ...rest, status: 'open' as const };
}

/** Priority (high first), severity, device, code, subject, as one key. */
function sortKey(view: ReturnType<typeof findingView>) {
  const score = Math.round((view.priority?.score ?? 0) * 1000);
  const inverted = String(Math.max(0, 1e12 - score)).padStart(13, '0');
  const severity = { critical: 0, warning: 1, info: 2 }[view.severity];
  return [inverted, severity, view.deviceId, view.code, view.subject].join(
    '\u0000',
  );
}

async function listFindings(request: ApiRequest) {
  const q = request.query as z.infer<typeof listQuery>;
  const { services } = request;
  const indexes = await indexesInView(request, q.clientId);
  const selected = indexes
    .flatMap((i) => i.findings)
    .filter((f) => q.deviceId === undefined || f.thingName === q.deviceId)
    .filter((f) => q.severity === undefined || f.severity === q.severity);
  const current = await Promise.all(
    selected.map((f) => withExpiry(services, f)),
  );

  const views = current
    .filter((f) => q.status === undefined || f.status === q.status)
    .map(findingView);
  const page = pageOf(views, sortKey, q.limit, q.cursor);
  return {
    status: 200,
    body: { findings: page.items, nextCursor: page.nextCursor },
  };
}

/** The finding, if it exists and the token sees its client; else 404. */
async function findingOf(request: ApiRequest) {
  const id = parseFindingId(request.params.findingId ?? '');
  const item = await request.services.reader.finding(
    id.deviceId,
    id.code,
    id.subject,
  );
  if (!item || !seesClient(request.scope, item.clientId)) {
    throw new ApiError(404, 'finding-not-found', 'no such finding');
  }
  return withExpiry(request.services, item);
}

async function getFinding(request: ApiRequest) {
  const item = await findingOf(request);
  return { status: 200, body: { finding: findingView(item) } };
}

/** Runs a write on an unresolved finding and answers its new state. */
async function changeFinding(
  request: ApiRequest,
  write: (key: { pk: string; sk: string }, at: string) => Promise<boolean>,
) {
  const item = await findingOf(request);
  const key = findingKeyOf(item.thingName, item.code, item.subject);
  const written = await write(
    key,
    new Date(request.services.now()).toISOString(),
  );
  if (!written) {
    throw new ApiError(
      409,
      'finding-resolved',
      'the finding is resolved; nothing to act on',
    );
  }
  const after = await request.services.reader.finding(
    item.thingName,
    item.code,
    item.subject,
  );
  return { status: 200, body: { finding: findingView(after ?? item) } };
}

function acknowledge(request: ApiRequest) {
  const body = request.body as z.infer<typeof acknowledgeBodySchema>;
  return changeFinding(request, (key, at) =>
    request.services.findings.acknowledge(key, {
      by: actorOf(request.scope),
      at,
      ...(body.note ? { note: body.note } : {}),
    }),
  );
}

function suppress(request: ApiRequest) {
  const body = request.body as z.infer<typeof suppressBodySchema>;
  const until = Date.parse(body.expiresAt) - request.services.now();
  if (until <= 0 || until > MAX_SUPPRESSION_MS) {
    throw new ApiError(
      400,
      'invalid-expiry',
      'expiresAt must be in the future and at most a year away',
      {},
      { path: 'expiresAt' },
    );
  }
  return changeFinding(request, (key, at) =>
    request.services.findings.suppress(key, {
      by: actorOf(request.scope),
      at,
      reason: body.reason,
      expiresAt: new Date(Date.parse(body.expiresAt)).toISOString(),
    }),
  );
}

const changed = {
  200: {
    description: 'the finding after the change',
    schema: findingDetailSchema,
  },
};

export const routes = defineRoutes([
  {
    method: 'GET',
    path: '/findings',
    operationId: 'listFindings',
    summary: 'Unresolved findings, highest priority first',
    tag: 'findings',
    query: listQuery,
    responses: { 200: { description: 'a page', schema: findingListSchema } },
    handle: listFindings,
  },
  {
    method: 'GET',
    path: '/findings/{findingId}',
    operationId: 'getFinding',
    summary: 'A finding with what was tried',
    tag: 'findings',
    responses: {
      200: { description: 'the finding', schema: findingDetailSchema },
    },
    handle: getFinding,
  },
  {
    method: 'POST',
    path: '/findings/{findingId}/acknowledge',
    operationId: 'acknowledgeFinding',
    summary: 'Note that a person has seen the finding',
    tag: 'findings',
    body: acknowledgeBodySchema,
    responses: changed,
    handle: acknowledge,
  },
  {
    method: 'POST',
    path: '/findings/{findingId}/suppress',
    operationId: 'suppressFinding',
    summary: 'Stop remedies and alerts for a finding until a time',
    tag: 'findings',
    body: suppressBodySchema,
    responses: changed,
    handle: suppress,
  },
]);

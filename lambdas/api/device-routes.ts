import * as z from 'zod';
import { CHECK_KINDS } from '../../core/checks.js';
import {
  deviceDetailSchema,
  deviceListSchema,
  historyListSchema,
} from '../../core/schemas/api.js';
import { VERDICTS } from '../../core/verdict.js';
import { indexesInView } from './client-index.js';
import { decodeCursor, encodeCursor, pageOf } from './cursor.js';
import {
  booleanParam,
  cursorParam,
  deviceNotFound,
  limitParam,
  requireDeviceId,
} from './query.js';
import { ApiError } from './responses.js';
import { type ApiRequest, defineRoutes } from './route-types.js';
import { seesClient } from './token-scope.js';
import {
  bySeverityThenCode,
  checkView,
  deviceSummary,
  findingView,
  historyEntry,
} from './views.js';

const listQuery = z.object({
  clientId: z.string().min(1).optional(),
  siteId: z.string().min(1).optional(),
  verdict: z.enum(VERDICTS).optional(),
  away: booleanParam,
  limit: limitParam(100, 500),
  cursor: cursorParam,
});

const historyQuery = z.object({
  check: z.enum(CHECK_KINDS).optional(),
  limit: limitParam(25, 100),
  cursor: cursorParam,
});

/**
 * Lists the devices of the clients in view: one gsi1 query per client
 * gives its devices and unresolved findings together, so the verdict
 * filter needs no read per device.
 *
 * Known limitation: each page reads the selected clients' whole index and
 * pages in memory (sorted by client and device). That is a few queries
 * for thousands of devices; past that, a per-client DynamoDB cursor with
 * the filters as a FilterExpression replaces it.
 */
async function listDevices(request: ApiRequest) {
  const q = request.query as z.infer<typeof listQuery>;
  const { services } = request;
  const indexes = await indexesInView(request, q.clientId);

  const now = services.now();
  const summaries = indexes
    .flatMap(({ devices, findings }) => {
      const byDevice = new Map<string, typeof findings>();
      for (const f of findings) {
        const list = byDevice.get(f.thingName);
        if (list) list.push(f);
        else byDevice.set(f.thingName, [f]);
      }
      return devices.map((meta) =>
        deviceSummary(meta, byDevice.get(meta.thingName) ?? [], now),
      );
    })
    .filter(
      (d) =>
        (q.siteId === undefined || d.siteId === q.siteId) &&
        (q.verdict === undefined || d.verdict === q.verdict) &&
        (q.away === undefined || d.away === q.away),
    );
  const key = (d: { clientId: string; deviceId: string }) =>
    `${d.clientId}\u0000${d.deviceId}`;

  const page = pageOf(summaries, key, q.limit, q.cursor);
  return {
    status: 200,
    body: { devices: page.items, nextCursor: page.nextCursor },
  };
}

async function getDevice(request: ApiRequest) {
  const deviceId = requireDeviceId(request.params.deviceId ?? '');
  const record = await request.services.devices.readDevice(deviceId);
  if (!record || !seesClient(request.scope, record.meta.clientId)) {
    throw deviceNotFound(deviceId);
  }

  const findings = record.findings.map(findingView).sort(bySeverityThenCode);
  const now = request.services.now();
  return {
    status: 200,
    body: {
      device: {
        ...deviceSummary(record.meta, record.findings, now),
        hello: record.meta.hello ?? null,
      },
      checks: record.checks
        .map(checkView)
        .sort((a, b) => a.check.localeCompare(b.check)),
      findings,
    },
  };
}

async function deviceHistory(request: ApiRequest) {
  const q = request.query as z.infer<typeof historyQuery>;
  const deviceId = requireDeviceId(request.params.deviceId ?? '');
  const meta = await request.services.reader.meta(deviceId);
  if (!meta || !seesClient(request.scope, meta.clientId)) {
    throw deviceNotFound(deviceId);
  }

  const afterSk = decodeCursor(q.cursor)?.after;
  if (afterSk !== undefined && !afterSk.startsWith('REPORT#')) {
    throw new ApiError(400, 'invalid-cursor', 'the cursor is not one we gave');
  }
  const page = await request.services.reader.history(deviceId, {
    limit: q.limit,
    afterSk,
    check: q.check,
  });
  return {
    status: 200,
    body: {
      reports: page.reports.map(historyEntry),
      nextCursor: page.lastSk ? encodeCursor({ after: page.lastSk }) : null,
    },
  };
}

export const routes = defineRoutes([
  {
    method: 'GET',
    path: '/devices',
    operationId: 'listDevices',
    summary: 'Devices, filtered and paged',
    tag: 'devices',
    query: listQuery,
    responses: { 200: { description: 'a page', schema: deviceListSchema } },
    handle: listDevices,
  },
  {
    method: 'GET',
    path: '/devices/{deviceId}',
    operationId: 'getDevice',
    summary: 'A device, its latest checks and unresolved findings',
    tag: 'devices',
    responses: {
      200: { description: 'the device', schema: deviceDetailSchema },
    },
    handle: getDevice,
  },
  {
    method: 'GET',
    path: '/devices/{deviceId}/history',
    operationId: 'getDeviceHistory',
    summary: 'Reports of a device, newest first',
    tag: 'devices',
    query: historyQuery,
    responses: { 200: { description: 'a page', schema: historyListSchema } },
    handle: deviceHistory,
  },
]);

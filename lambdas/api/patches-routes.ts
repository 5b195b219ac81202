import * as z from 'zod';
import {
  clientComplianceSchema,
  deviceComplianceSchema,
  emergencyApprovalListSchema,
  emergencyApprovalRequestSchema,
  emergencyApprovalSchema,
} from '../../core/patches/api-schemas.js';
import { normalId } from '../../core/patches/approval.js';
import { complianceCsv } from '../../core/patches/compliance.js';
import { readClientCompliance } from '../patches/compliance-reader.js';
import { PatchStore } from '../patches/patch-store.js';
import { deviceNotFound, requireDeviceId } from './query.js';
import { ApiError } from './responses.js';
import { type ApiRequest, defineRoutes } from './route-types.js';
import type { ApiServices } from './services.js';
import {
  actorOf,
  requireClient,
  requireMsp,
  seesClient,
} from './token-scope.js';

/**
 * Patch Doctor (docs/patch-doctor.md): compliance per client and device,
 * as JSON or CSV, and a client's emergency approvals. Reading needs a
 * token that sees the client (`upkeep_scope` `msp` or `client:<id>`);
 * approving needs an MSP token. Another client's device is 404, as
 * everywhere in the API.
 */
const formatQuery = z.strictObject({
  format: z.enum(['json', 'csv']).optional(),
});

const storeOf = (services: ApiServices) =>
  new PatchStore(services.clients.doc, services.tableName);

async function knownClient(request: ApiRequest) {
  const clientId = request.params.clientId ?? '';
  requireClient(request.scope, clientId);
  if (!(await request.services.reader.client(clientId))) {
    throw new ApiError(404, 'client-not-found', `no client "${clientId}"`);
  }
  return clientId;
}

const csvResult = (body: string, name: string) => ({
  status: 200,
  body,
  headers: {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${name}.csv"`,
  },
});

async function clientCompliance(request: ApiRequest) {
  const clientId = await knownClient(request);
  const { services } = request;
  const view = await readClientCompliance(
    storeOf(services),
    services.policies,
    clientId,
    services.now(),
  );
  if (request.query.format === 'csv') {
    return csvResult(complianceCsv(view.devices), `compliance-${clientId}`);
  }
  return { status: 200, body: view };
}

async function deviceCompliance(request: ApiRequest) {
  const { services, scope } = request;
  const deviceId = requireDeviceId(request.params.deviceId ?? '');
  const meta = await services.reader.meta(deviceId);
  if (!meta || !seesClient(scope, meta.clientId)) {
    throw deviceNotFound(deviceId);
  }
  const view = await readClientCompliance(
    storeOf(services),
    services.policies,
    meta.clientId,
    services.now(),
  );
  const device = view.devices.find((d) => d.thingName === deviceId);
  if (!device) throw deviceNotFound(deviceId);
  if (request.query.format === 'csv') {
    return csvResult(complianceCsv([device]), `compliance-${deviceId}`);
  }
  return { status: 200, body: device };
}

async function listApprovals(request: ApiRequest) {
  const clientId = await knownClient(request);
  const now = request.services.now();
  const approvals = (await storeOf(request.services).emergencies(clientId))
    // The table's TTL removes expired items within days, not at once.
    .filter((a) => Date.parse(a.expiresAt) > now);
  return { status: 200, body: { approvals } };
}

async function approve(request: ApiRequest) {
  requireMsp(request.scope);
  const clientId = await knownClient(request);
  const body = emergencyApprovalRequestSchema.parse(request.body);
  const now = request.services.now();
  const approval = {
    clientId,
    id: normalId(body.id),
    approvedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + body.hours * 3_600_000).toISOString(),
    approvedBy: actorOf(request.scope),
    ...(body.reason ? { reason: body.reason } : {}),
  };
  await storeOf(request.services).putEmergency(approval);
  request.services.logger.info('emergency approval stored', {
    clientId,
    update: approval.id,
    expiresAt: approval.expiresAt,
  });
  return { status: 201, body: approval };
}

const csv = { description: 'the same as CSV (`format=csv`)' };

export const routes = defineRoutes([
  {
    method: 'GET',
    path: '/clients/{clientId}/patches/compliance',
    operationId: 'getClientPatchCompliance',
    summary: "A client's patch compliance, per device and in total",
    tag: 'patches',
    query: formatQuery,
    responses: {
      200: {
        description: 'compliance; CSV with format=csv',
        schema: clientComplianceSchema,
      },
    },
    handle: clientCompliance,
  },
  {
    method: 'GET',
    path: '/devices/{deviceId}/patches/compliance',
    operationId: 'getDevicePatchCompliance',
    summary: "A device's patch compliance",
    tag: 'patches',
    query: formatQuery,
    responses: {
      200: {
        description: `the device; ${csv.description}`,
        schema: deviceComplianceSchema,
      },
    },
    handle: deviceCompliance,
  },
  {
    method: 'GET',
    path: '/clients/{clientId}/patches/approvals',
    operationId: 'listEmergencyApprovals',
    summary: "A client's emergency approvals that have not expired",
    tag: 'patches',
    responses: {
      200: {
        description: 'the approvals',
        schema: emergencyApprovalListSchema,
      },
    },
    handle: listApprovals,
  },
  {
    method: 'POST',
    path: '/clients/{clientId}/patches/approvals',
    operationId: 'createEmergencyApproval',
    summary: 'Approve one update for one client until it expires (MSP)',
    tag: 'patches',
    body: emergencyApprovalRequestSchema,
    responses: {
      201: { description: 'the approval', schema: emergencyApprovalSchema },
    },
    handle: approve,
  },
]);

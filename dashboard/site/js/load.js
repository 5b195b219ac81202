import {
  awayStatus,
  byPriority,
  complianceByClient,
  healthByClient,
} from './model.js';

/**
 * Reads what the page shows, through the public API only: the device
 * list, each device's detail (checks and unresolved findings), and, when
 * the API has them, the fleet-wide findings and compliance routes.
 */
export async function loadFleet(api, nowMs) {
  const devices = await api.listDevices();
  const bodies = await api.deviceDetails(devices.map((d) => d.deviceId));
  const details = new Map(devices.map((d, i) => [d.deviceId, bodies[i]]));
  const devicesById = new Map(devices.map((d) => [d.deviceId, d]));

  const listed = await api.listFindings();
  const findings = listed ?? findingsOfDetails(devices, details);
  const compliance = await api.optional('/compliance');

  return {
    devices,
    details,
    devicesById,
    health: healthByClient(devices, details),
    openFindings: byPriority(findings),
    away: devices
      .map((device) => ({ device, status: awayStatus(device, nowMs) }))
      .filter(({ status }) => status.away)
      .sort((a, b) => b.status.forMs - a.status.forMs),
    compliance: complianceOf(compliance, devices, details),
  };
}

function findingsOfDetails(devices, details) {
  return devices.flatMap((device) =>
    (details.get(device.deviceId)?.findings ?? []).map((f) => ({
      deviceId: device.deviceId,
      clientId: device.clientId,
      ...f,
    })),
  );
}

/**
 * The compliance route's per-client figures when the API answers it,
 * otherwise the same figures from each device's patch assessment.
 */
function complianceOf(body, devices, details) {
  if (Array.isArray(body?.clients)) {
    return {
      source: 'Patch compliance per client',
      clients: body.clients.map((c) => ({
        clientId: c.clientId,
        assessed: c.assessed ?? c.devices ?? 0,
        compliant: c.compliant ?? 0,
        notAssessed: c.notAssessed ?? 0,
        approvedMissing: c.approvedMissing ?? 0,
        ratio: c.ratio ?? c.compliant / (c.assessed || Number.NaN),
      })),
    };
  }
  return {
    source: 'Patch compliance per client (from each patch assessment)',
    clients: complianceByClient(devices, details),
  };
}

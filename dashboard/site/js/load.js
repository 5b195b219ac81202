import {
  awayStatus,
  byPriority,
  complianceByClient,
  complianceFromApi,
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
  const compliance = await patchCompliance(api, devices, details);

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
    compliance,
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
 * Patch compliance of each client in view: the API's own figures
 * (`GET /clients/{id}/patches/compliance`) where it answers, otherwise
 * the same figures from each device's patch assessment. `devices` maps a
 * device to the API's compliance of it, when there is one.
 */
async function patchCompliance(api, devices, details) {
  const clientIds = [...new Set(devices.map((d) => d.clientId))].sort();
  const bodies = await Promise.all(
    clientIds.map((id) =>
      api.optional(`/clients/${encodeURIComponent(id)}/patches/compliance`),
    ),
  );
  const derived = new Map(
    complianceByClient(devices, details).map((row) => [row.clientId, row]),
  );

  return {
    fromApi: bodies.every(Boolean),
    clients: clientIds.map((id, i) =>
      bodies[i] ? complianceFromApi(bodies[i]) : derived.get(id),
    ),
    devices: new Map(
      bodies.flatMap((b) => b?.devices ?? []).map((d) => [d.thingName, d]),
    ),
  };
}

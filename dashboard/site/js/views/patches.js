import { badge, h, table } from '../dom.js';
import { formatPercent, formatTime } from '../format.js';
import { patchState } from '../model.js';
import { deviceCell, figure } from './common.js';

/**
 * Patch compliance per client, then each device: the API's compliance
 * figures when its compliance route answers (approval rules applied by
 * the cloud), otherwise the same figures from each patch assessment.
 */
export function patchesView({ compliance, devices, details }) {
  return h(
    'div',
    {},
    clientsTable(compliance),
    devicesTable(compliance, devices, details),
  );
}

function clientsTable(compliance) {
  return table({
    id: 'patch-compliance',
    caption: compliance.fromApi
      ? 'Patch compliance per client'
      : 'Patch compliance per client (from each patch assessment)',
    columns: [
      { label: 'Client' },
      { label: 'Compliant', numeric: true },
      { label: 'Compliant devices', numeric: true },
      { label: 'Assessed', numeric: true },
      { label: 'Never assessed', numeric: true },
      { label: 'Approved updates missing', numeric: true },
      { label: 'Failed installs', numeric: true },
      { label: 'Restart due', numeric: true },
    ],
    rows: compliance.clients.map((c) => ({
      attributes: { 'data-client': c.clientId },
      cells: [
        c.clientId,
        formatPercent(c.ratio),
        figure(c.compliant, c.compliant),
        c.assessed,
        c.notAssessed,
        atLeast(c.approvedMissing, c.partial > 0),
        c.failed,
        c.pendingReboot,
      ],
    })),
    empty: 'No devices yet.',
  });
}

function devicesTable(compliance, devices, details) {
  const rows = devices.flatMap((device) => {
    const checks = details.get(device.deviceId)?.checks ?? [];
    const check = checks.find((c) => c.check === 'patch-assessment');
    const state = patchState(check);
    const api = compliance.devices.get(device.deviceId);
    return state || api ? [{ device, state, api }] : [];
  });
  return table({
    id: 'patch-devices',
    caption: 'Patches of each device, from its latest assessment',
    columns: [
      { label: 'Device' },
      { label: 'Compliant' },
      { label: 'Verdict' },
      { label: 'Approved missing', numeric: true },
      { label: 'Critical or important', numeric: true },
      { label: 'Failed installs', numeric: true },
      { label: 'All missing', numeric: true },
      { label: 'Restart due' },
      { label: 'Assessed' },
    ],
    rows: rows.map(({ device, state, api }) => ({
      attributes: { 'data-device': device.deviceId },
      cells: [deviceCell(device), ...deviceFigures(state, api)],
    })),
    empty: 'No patch assessment yet.',
  });
}

/**
 * A partial figure (the report listed fewer updates than it counted) is a
 * lower bound, and says so.
 */
function atLeast(count, partial) {
  return partial ? `at least ${count}` : count;
}

/** The API's figures where it has them, the assessment's otherwise. */
function deviceFigures(state, api) {
  const missing = api?.missingApproved;
  const compliant = api ? api.compliant : state.compliant;
  const reboot = api ? api.pendingReboot : state.rebootPending;
  return [
    compliant ? 'yes' : 'no',
    state ? badge(state.verdict) : '—',
    missing ? atLeast(missing.total, api.partial) : state.approvedMissing,
    missing ? missing.critical + missing.important : '—',
    api ? api.failed : state.failedInstalls,
    state ? state.missing : '—',
    reboot === null ? 'unknown' : reboot ? 'yes' : 'no',
    formatTime(api?.lastAssessmentAt ?? state?.assessedAt),
  ];
}

import { badge, h, table } from '../dom.js';
import { formatPercent, formatTime } from '../format.js';
import { patchState } from '../model.js';
import { deviceCell } from './common.js';

/**
 * Patch compliance per client, then each device's latest assessment.
 * `compliance` is what the API's compliance route answered, when it has
 * one; otherwise the page derives the same figures from the assessments.
 */
export function patchesView({ compliance, devices, details }) {
  const perClient = table({
    id: 'patch-compliance',
    caption: compliance.source,
    columns: [
      { label: 'Client' },
      { label: 'Compliant', numeric: true },
      { label: 'Assessed', numeric: true },
      { label: 'Not assessed', numeric: true },
      { label: 'Approved updates missing', numeric: true },
    ],
    rows: compliance.clients.map((c) => ({
      attributes: { 'data-client': c.clientId },
      cells: [
        c.clientId,
        formatPercent(c.ratio),
        c.assessed,
        c.notAssessed,
        c.approvedMissing,
      ],
    })),
    empty: 'No devices yet.',
  });

  const rows = devices.flatMap((device) => {
    const checks = details.get(device.deviceId)?.checks ?? [];
    const state = patchState(
      checks.find((c) => c.check === 'patch-assessment'),
    );
    return state ? [{ device, state }] : [];
  });
  const perDevice = table({
    id: 'patch-devices',
    caption: 'Latest patch assessment of each device',
    columns: [
      { label: 'Device' },
      { label: 'Verdict' },
      { label: 'Approved missing', numeric: true },
      { label: 'Security', numeric: true },
      { label: 'All missing', numeric: true },
      { label: 'Reboot pending' },
      { label: 'Assessed' },
    ],
    rows: rows.map(({ device, state }) => ({
      attributes: { 'data-device': device.deviceId },
      cells: [
        deviceCell(device),
        badge(state.verdict),
        state.approvedMissing,
        state.security,
        state.missing,
        state.rebootPending ? 'yes' : 'no',
        formatTime(state.assessedAt),
      ],
    })),
    empty: 'No patch assessment yet.',
  });

  return h('div', {}, perClient, perDevice);
}

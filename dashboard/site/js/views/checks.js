import { badge, h, table } from '../dom.js';
import { formatTime } from '../format.js';
import { CHECKS, deviceVerdict } from '../model.js';
import { deviceCell } from './common.js';

/** Every device with the verdict of each check's latest report. */
export function checksView({ devices, details }) {
  return table({
    id: 'device-checks',
    caption: 'Latest verdict of each check, per device',
    columns: [
      { label: 'Device' },
      { label: 'Client' },
      { label: 'Overall' },
      ...CHECKS.map((check) => ({ label: check })),
      { label: 'Last seen' },
    ],
    rows: devices.map((device) => {
      const checks = details.get(device.deviceId)?.checks ?? [];
      const byKind = new Map(checks.map((c) => [c.check, c]));
      return {
        attributes: { 'data-device': device.deviceId },
        cells: [
          deviceCell(device),
          device.clientId,
          badge(deviceVerdict(checks)),
          ...CHECKS.map((kind) => verdictCell(byKind.get(kind), kind)),
          formatTime(device.lastSeenAt),
        ],
      };
    }),
    empty: 'No devices yet.',
  });
}

function verdictCell(check, kind) {
  if (!check) return h('span', { class: 'sub', 'data-check': kind }, 'none');
  return h(
    'span',
    {
      'data-check': kind,
      'data-verdict': check.verdict,
      title: `finished ${formatTime(check.finishedAt)}`,
    },
    badge(check.verdict),
  );
}

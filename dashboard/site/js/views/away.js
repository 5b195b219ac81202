import { h, table } from '../dom.js';
import { formatDuration, formatTime } from '../format.js';
import { deviceCell } from './common.js';

const REASONS = {
  disconnected: 'disconnected',
  'connection lost': 'connection lost',
  silent: 'no message since',
};

/** Devices that are away, longest away first. */
export function awayView({ away }) {
  return table({
    id: 'away',
    caption: 'Devices away, longest first',
    columns: [
      { label: 'Device' },
      { label: 'Client' },
      { label: 'Away for', numeric: true },
      { label: 'Since' },
      { label: 'Why' },
    ],
    rows: away.map(({ device, status }) => ({
      attributes: { 'data-device': device.deviceId },
      cells: [
        deviceCell(device),
        device.clientId,
        h('data', { value: status.forMs }, formatDuration(status.forMs)),
        formatTime(new Date(status.sinceMs).toISOString()),
        REASONS[status.reason] ?? status.reason,
      ],
    })),
    empty: 'Every device has been heard from recently.',
  });
}

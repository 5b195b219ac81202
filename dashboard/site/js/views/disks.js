import { badge, h, table } from '../dom.js';
import { formatBytes, formatPercent } from '../format.js';
import { driveRows, volumeRows } from '../model.js';
import { deviceCell, figure } from './common.js';

const checkOf = (details, device, kind) =>
  details.get(device.deviceId)?.checks?.find((c) => c.check === kind);

/** Free space per volume with the agent's forecast, then SMART health. */
export function disksView({ devices, details }) {
  const volumes = devices.flatMap((device) =>
    volumeRows(device, checkOf(details, device, 'disk-space')).map(
      (volume) => ({ device, volume }),
    ),
  );
  const drives = devices.flatMap((device) =>
    driveRows(checkOf(details, device, 'smart')).map((drive) => ({
      device,
      drive,
    })),
  );
  return h('div', {}, volumesTable(volumes), drivesTable(drives));
}

function volumesTable(rows) {
  return table({
    id: 'volumes',
    caption: 'Free space per volume (what users can write)',
    columns: [
      { label: 'Volume' },
      { label: 'Device' },
      { label: 'Free', numeric: true },
      { label: 'Free %', numeric: true },
      { label: 'Size', numeric: true },
      { label: 'Forecast' },
    ],
    rows: rows.map(({ device, volume }) => ({
      attributes: { 'data-device': device.deviceId, 'data-volume': volume.id },
      cells: [
        volume.mount,
        deviceCell(device),
        figure(volume.availableBytes, formatBytes(volume.availableBytes)),
        formatPercent(volume.freeRatio),
        figure(volume.totalBytes, formatBytes(volume.totalBytes)),
        forecastText(volume.forecast),
      ],
    })),
    empty: 'No disk-space report yet.',
  });
}

/** The agent forecasts from 3 samples over at least a day (forecast.ts). */
function forecastText(forecast) {
  if (!forecast) {
    return h('span', { class: 'sub' }, 'steady, or too little history');
  }
  const perDay = formatBytes(forecast.bytesPerDay);
  return `full in ${forecast.daysUntilFull} d (−${perDay}/day)`;
}

function drivesTable(rows) {
  return table({
    id: 'drives',
    caption: 'Drive health (SMART)',
    columns: [
      { label: 'Drive' },
      { label: 'Device' },
      { label: 'Health' },
      { label: 'Model' },
      { label: 'What smartctl said' },
    ],
    rows: rows.map(({ device, drive }) => ({
      attributes: { 'data-device': device.deviceId, 'data-drive': drive.name },
      cells: [
        drive.name,
        deviceCell(device),
        badge(drive.verdict),
        drive.model ?? '—',
        drive.messages.length > 0 ? drive.messages.join('; ') : '—',
      ],
    })),
    empty: 'No SMART report yet.',
  });
}

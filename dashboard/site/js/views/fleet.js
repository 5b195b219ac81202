import { badge, h, table } from '../dom.js';
import { VERDICTS } from '../model.js';

const WORST_FIRST = [...VERDICTS].reverse();

/** Fleet health: per client, how many devices are at each verdict. */
export function fleetView({ health }) {
  return table({
    id: 'fleet-health',
    caption: 'Devices per client by their worst check verdict',
    columns: [
      { label: 'Client' },
      { label: 'Devices', numeric: true },
      ...WORST_FIRST.map((v) => ({ label: badge(v), numeric: true })),
    ],
    rows: health.map((client) => ({
      attributes: { 'data-client': client.clientId },
      cells: [
        client.clientId,
        client.devices,
        ...WORST_FIRST.map((v) => count(client.verdicts[v])),
      ],
    })),
    empty: 'No devices yet.',
  });
}

/** Zero stays readable to a screen reader but steps back visually. */
function count(n) {
  return n === 0 ? h('span', { class: 'zero' }, '0') : n;
}

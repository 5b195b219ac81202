import { badge, h } from '../dom.js';
import { VERDICTS } from '../model.js';

/** The headline figures: devices, devices per verdict, findings, away. */
export function summaryView({ devices, health, openFindings, away }) {
  const perVerdict = Object.fromEntries(VERDICTS.map((v) => [v, 0]));
  for (const client of health) {
    for (const v of VERDICTS) perVerdict[v] += client.verdicts[v];
  }
  const tile = (label, value, id) =>
    h('div', { class: 'tile' }, h('dt', {}, label), h('dd', { id }, value));

  return h(
    'dl',
    { class: 'tiles' },
    tile('Devices', devices.length, 'summary-devices'),
    [...VERDICTS]
      .reverse()
      .map((v) => tile(badge(v), perVerdict[v], `summary-${v}`)),
    tile('Open findings', openFindings.length, 'summary-findings'),
    tile('Away', away.length, 'summary-away'),
  );
}

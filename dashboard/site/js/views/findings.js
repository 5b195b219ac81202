import { badge, h, table } from '../dom.js';
import { formatTime } from '../format.js';
import { whatWasTried } from '../model.js';
import { deviceCell } from './common.js';

/**
 * Open findings, most pressing first, each with what the remedy loop
 * already tried, so a technician starts where the automation stopped.
 */
export function findingsView({ openFindings, devicesById }) {
  return table({
    id: 'open-findings',
    caption: 'Open findings, most pressing first',
    columns: [
      { label: 'Finding' },
      { label: 'Priority' },
      { label: 'Device' },
      { label: 'Status' },
      { label: 'Open since' },
      { label: 'Seen', numeric: true },
      { label: 'What was tried' },
    ],
    rows: openFindings.map((f) => ({
      attributes: {
        'data-device': f.deviceId,
        'data-code': f.code,
        'data-subject': f.subject,
      },
      cells: [
        [
          h('span', { class: 'title' }, f.title),
          h('span', { class: 'sub' }, `${f.code} · ${f.subject}`),
        ],
        priorityCell(f),
        deviceCell(devicesById.get(f.deviceId) ?? { deviceId: f.deviceId }),
        f.status,
        formatTime(f.openedAt ?? f.firstSeenAt),
        f.occurrences,
        triedCell(f),
      ],
    })),
    empty: 'No open findings.',
  });
}

function priorityCell(finding) {
  const severity = badge(finding.severity);
  if (!finding.priority) return severity;
  const { band, score } = finding.priority;
  return [
    severity,
    h('span', { class: 'sub' }, `${band} (${Math.round(score)})`),
  ];
}

function triedCell(finding) {
  const steps = whatWasTried(finding);
  if (steps.length === 0) return h('span', { class: 'sub' }, 'nothing yet');
  return h(
    'ol',
    { class: 'tried' },
    steps.map((step) =>
      h(
        'li',
        { class: `tried-${step.kind}` },
        step.text,
        step.at ? h('span', { class: 'sub' }, formatTime(step.at)) : null,
      ),
    ),
  );
}

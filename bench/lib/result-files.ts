import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Machine } from './machine.js';
import { round } from './stats.js';

/**
 * Writes `<name>-<time>.json` beside a rewritten `<name>-latest.md`, the
 * layout every benchmark keeps in bench/results; returns both paths.
 */
export function writeResultFiles<R extends { takenAt: string }>(
  dir: string,
  name: string,
  result: R,
  render: (result: R, jsonName: string) => string,
) {
  mkdirSync(dir, { recursive: true });
  const stamp = `${result.takenAt.slice(0, 16).replace(':', '-')}Z`;
  const jsonName = `${name}-${stamp}.json`;
  const json = join(dir, jsonName);
  const markdown = join(dir, `${name}-latest.md`);
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(markdown, render(result, jsonName));
  return { json, markdown };
}

/** The machine as the head of a results page: a one-row table. */
export function machineTable(m: Machine) {
  const gib = round(m.memoryBytes / 1024 ** 3, 1);
  return [
    '## Machine',
    '',
    '| CPU | cores | memory | Node.js | OS |',
    '|---|---|---|---|---|',
    `| ${m.cpuModel} | ${m.cores} | ${gib} GiB | ${m.node} | ${m.os} |`,
    '',
  ];
}

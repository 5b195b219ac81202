import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../core/index.js';
import { readCase } from '../../test-support/cases.js';
import { evidenceExcerpt } from './evidence.js';
import { judgeWindowsUpdate } from './judge.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const chainOf = (code: string | undefined) =>
  (CATALOGUE.get(code ?? '')?.remedies['windows-update'] ?? []).map(
    (s) => s.remedy,
  );

describe('a CBS.log cut inside an advanced installer', () => {
  const cut = judgeWindowsUpdate(fixture('cbs-0x800f0922-cut-cmi-plugin.txt'))
    .findings[0];

  it('blames the installer its plugin lines name, not a missing file', () => {
    expect(cut?.code).toBe('wu.advanced-installer-failed');
    expect(cut?.detail?.installer).toBe('WmiCmiPlugin');
  });

  it('offers no component reset for the installer failure', () => {
    expect(chainOf(cut?.code)).toEqual([
      'remove-staged-package',
      'retry-update',
      'repair-ticket',
    ]);
  });

  it('still names the Task Scheduler from the other half of the log', () => {
    const lines = readCase('wu-0x800f0922-cbs-corrupt-task.txt').split('\n');
    const firstHalf = lines.slice(0, 16).join('\n');

    expect(judgeWindowsUpdate(firstHalf).findings[0]?.code).toBe(
      'wu.task-registration-failed',
    );
  });

  it('blames an advanced installer of any CMI plugin the same way', () => {
    const text = fixture('cbs-0x800f0922-cut-cmi-plugin.txt').replaceAll(
      'WmiCmiPlugin',
      'FirewallCmiPlugin',
    );

    const root = judgeWindowsUpdate(text).findings[0];

    expect(root?.code).toBe('wu.advanced-installer-failed');
    expect(root?.detail?.installer).toBe('FirewallCmiPlugin');
  });
});

describe('evidence excerpts', () => {
  it('cut the 0x800F0922 queue-item line on a token boundary with an ellipsis', () => {
    const line = readCase('wu-0x800f0922-cbs-corrupt-task.txt')
      .split('\n')
      .find((l) => l.includes('Failed execution of queue item')) as string;

    const excerpt = evidenceExcerpt(line);

    expect(line.trim().length).toBeGreaterThan(200);
    expect(excerpt.length).toBeLessThanOrEqual(200);
    expect(excerpt.endsWith('…')).toBe(true);
    const kept = excerpt.slice(0, -1);
    expect(line.trim().startsWith(kept)).toBe(true);
    expect(line.trim()[kept.length]).toMatch(/\s/);
  });

  it('keep a line that fits whole', () => {
    expect(evidenceExcerpt('  Error CBS 0x800f0922 ')).toBe(
      'Error CBS 0x800f0922',
    );
  });
});

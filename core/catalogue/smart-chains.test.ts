import { describe, expect, it } from 'vitest';
import type { Finding } from '../schemas/finding.js';
import { CATALOGUE } from './index.js';
import { smartChainFor } from './smart-chains.js';

const DRIVE = 'Hitachi HDS721050DLE630 (REDACTED-SERIAL)';

function found(
  code: string,
  severity: Finding['severity'],
  detail: Record<string, unknown> = {},
  subject = DRIVE,
): Finding {
  const entry = CATALOGUE.get(code);
  return {
    code,
    severity,
    title: entry?.title ?? code,
    subject,
    detail,
  } as Finding;
}

const chainOf = (finding: Finding, run: Finding[]) =>
  smartChainFor(
    finding,
    CATALOGUE.get(finding.code)?.remedies.any ?? [],
    run,
  ).map((s) => s.remedy);

describe('smartChainFor: a dying drive', () => {
  const failing = found('smart.drive-failing', 'critical');
  const pending = found('smart.pending-sectors', 'warning', {
    count: 8,
    trend: 'no-baseline',
  });

  it('puts the backup first and offers no self-test on the same drive', () => {
    const chain = chainOf(pending, [failing, pending]);

    expect(chain[0]).toBe('backup-now');
    expect(chain).not.toContain('run-extended-self-test');
    expect(chain).toContain('replace-disk-ticket');
  });

  it('leaves the self-test in the chain of another, healthy drive', () => {
    const other = { ...pending, subject: 'Samsung SSD 870 (REDACTED-SERIAL)' };

    expect(chainOf(other, [failing, other])).toEqual([
      'verify-backup',
      'run-extended-self-test',
      'store-smart-baseline',
    ]);
  });
});

describe('smartChainFor: a counter against its baseline', () => {
  const media = (trend: string, severity: Finding['severity']) =>
    found('smart.nvme-media-errors', severity, { count: 7, trend });

  it('never ends a stable count in a replacement ticket', () => {
    const stable = media('stable', 'info');

    expect(chainOf(stable, [stable])).not.toContain('replace-disk-ticket');
  });

  it('watches a first-seen count without replacing the drive', () => {
    const first = media('no-baseline', 'warning');

    expect(chainOf(first, [first])).toEqual([
      'verify-backup',
      'run-extended-self-test',
      'store-smart-baseline',
    ]);
  });

  it('backs up and replaces when the count grew', () => {
    const grown = media('grown', 'critical');

    expect(chainOf(grown, [grown])).toEqual([
      'backup-now',
      'store-smart-baseline',
      'replace-disk-ticket',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { readCase } from '../test-support/cases.js';
import { diagnose } from './diagnose.js';
import { DiagnoseError } from './errors.js';

/** When the recorded cases were judged; ages are counted from here. */
const now = new Date('2024-06-05T00:00:00Z');

interface Expectation {
  kind: string;
  verdict: string;
  /** The root-cause code: the first finding. */
  root?: string;
  hresult?: string;
}

/**
 * Oracle: fixtures/cases/INDEX.md, "correct judgement" column. Every case
 * file listed there has a row here (checked below).
 */
const CASES: Record<string, Expectation> = {
  'smart-ata-usb-jmicron-reallocated-failing.json': {
    kind: 'smart',
    verdict: 'critical',
    root: 'smart.drive-failing',
  },
  'smart-ata-udma-crc-cable.json': {
    kind: 'smart',
    verdict: 'warning',
    root: 'smart.crc-errors',
  },
  'smart-ssd-samsung850-wearout.txt': {
    kind: 'smart',
    verdict: 'critical',
    root: 'smart.ssd-worn-out',
  },
  'smart-nvme-media-errors.json': {
    kind: 'smart',
    verdict: 'warning',
    root: 'smart.nvme-media-errors',
  },
  'smart-nvme-critical-warning-volatile-backup.json': {
    kind: 'smart',
    verdict: 'critical',
    root: 'smart.nvme-volatile-backup-failed',
  },
  'smart-nvme-windows-healthy.txt': { kind: 'smart', verdict: 'ok' },
  'smart-usb-unknown-bridge.txt': {
    kind: 'smart',
    verdict: 'unknown',
    root: 'smart.usb-bridge-unrecognized',
  },
  'wu-0x80073712-cbs.txt': {
    kind: 'windows-update',
    verdict: 'critical',
    root: 'wu.component-store-corrupt',
    hresult: '0x80073712',
  },
  'wu-0x800f0922-cbs-corrupt-task.txt': {
    kind: 'windows-update',
    verdict: 'warning',
    root: 'wu.task-registration-failed',
    hresult: '0x80070002',
  },
  'wu-0x80070070-download-disk-full.txt': {
    kind: 'windows-update',
    verdict: 'warning',
    root: 'wu.disk-full',
    hresult: '0x80070070',
  },
  'wu-0x80070643-kb5034441-winre-loop.txt': {
    kind: 'windows-update',
    verdict: 'warning',
    root: 'wu.winre-partition-too-small',
    hresult: '0x80070643',
  },
  'wu-0x80072ee2-0x8024402c-wsus-unreachable.txt': {
    kind: 'windows-update',
    verdict: 'warning',
    root: 'wu.server-timeout',
    hresult: '0x80072EE2',
  },
  'wu-0x80070422-service-disabled-check-ok.txt': {
    kind: 'windows-update',
    verdict: 'critical',
    root: 'wu.service-disabled',
    hresult: '0x80070422',
  },
  'av-productstate-bitdefender-defender.txt': {
    kind: 'antivirus',
    verdict: 'ok',
  },
  'av-mpstatus-kaspersky-defender-not-running.txt': {
    kind: 'antivirus',
    verdict: 'info',
    root: 'av.defender-inactive',
  },
  'av-mpstatus-stale-610d.txt': {
    kind: 'antivirus',
    verdict: 'critical',
    root: 'av.definitions-stale',
  },
  'disk-df-snap-loops.txt': { kind: 'disk', verdict: 'ok' },
  'disk-df-inodes-exhausted.txt': {
    kind: 'disk',
    verdict: 'critical',
    root: 'disk.inodes-exhausted',
  },
  'disk-win32-volume-recovery-efi.txt': { kind: 'disk', verdict: 'ok' },
  'disk-win32-logicaldisk-odd-types.txt': { kind: 'disk', verdict: 'ok' },
};

const run = (file: string) => diagnose(readCase(file), undefined, { now });

describe('diagnose: every recorded case', () => {
  it('has an expectation for every case file the index lists', () => {
    const listed = [
      ...readCase('INDEX.md').matchAll(/^\| ([\w.-]+\.(?:txt|json)) \|/gm),
    ]
      .map((m) => m[1])
      .filter((f) => f !== 'cleanup-temp-junction.txt');

    expect(listed.sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.entries(CASES))('judges %s', (file, expected) => {
    const result = run(file);

    expect(result.kind).toBe(expected.kind);
    expect(result.verdict).toBe(expected.verdict);
    expect(result.findings[0]?.code).toBe(expected.root);
    expect(result.findings[0]?.hresult).toBe(expected.hresult);
  });

  it('refuses the cleanup case: it records no tool output to judge', () => {
    expect(() => run('cleanup-temp-junction.txt')).toThrow(DiagnoseError);
  });
});

describe('diagnose: the traps the cases test', () => {
  const remedies = (file: string) =>
    run(file).remedies.flatMap((p) => p.steps.map((s) => s.remedy));

  it('does not propose Update-MpSignature for a Defender that stepped aside', () => {
    expect(
      remedies('av-mpstatus-kaspersky-defender-not-running.txt'),
    ).not.toContain('update-av-signatures');
  });

  it('fixes Defender updates, not "no antivirus", on a server without SecurityCenter2', () => {
    const result = run('av-mpstatus-stale-610d.txt');

    expect(result.findings.map((f) => f.code)).not.toContain(
      'av.product-missing',
    );
    expect(result.remedies[0]).toMatchObject({
      code: 'av.definitions-stale',
      product: 'defender',
    });
  });

  it('repairs the store instead of chasing the WER 0x80070002', () => {
    const result = run('wu-0x80073712-cbs.txt');

    expect(result.findings.map((f) => f.hresult)).not.toContain('0x80070002');
    expect(result.remedies[0]?.steps[0]?.remedy).toBe('dism-restore-health');
  });

  it('keeps the wrapper 0x800F0922 as context and skips its canned fixes', () => {
    const result = run('wu-0x800f0922-cbs-corrupt-task.txt');

    expect(result.findings[0]?.detail).toMatchObject({
      wrapper: '0x800F0922',
      installer: 'Task Scheduler',
      task: '\\Microsoft\\Windows\\PI\\SecureBootEncodeUEFI',
    });
    expect(remedies('wu-0x800f0922-cbs-corrupt-task.txt')).not.toContain(
      'reset-wu-components',
    );
  });

  it('treats an unreachable WSUS as configuration, not client damage', () => {
    const result = run('wu-0x80072ee2-0x8024402c-wsus-unreachable.txt');

    expect(result.findings.map((f) => f.code)).toEqual([
      'wu.server-timeout',
      'wu.proxy-name-not-resolved',
    ]);
    expect(result.findings[0]?.detail).toMatchObject({ urlDoubleSlash: true });
    expect(
      remedies('wu-0x80072ee2-0x8024402c-wsus-unreachable.txt'),
    ).not.toContain('reset-wu-components');
  });

  it('stops the retry loop of the WinRE update instead of resetting WU', () => {
    expect(remedies('wu-0x80070643-kb5034441-winre-loop.txt')).toEqual([
      'stop-update-retry',
      'resize-winre-partition-ticket',
      'hide-update',
    ]);
  });

  it('calls patch status unknown when the service is disabled or deleted', () => {
    const result = run('wu-0x80070422-service-disabled-check-ok.txt');

    expect(result.findings[0]?.detail).toMatchObject({
      patchStatus: 'unknown',
    });
    expect(result.findings[1]).toMatchObject({
      code: 'wu.service-missing',
      hresult: '0x80070424',
    });
  });

  it('sends the cable, not the disk, to the technician for CRC errors', () => {
    expect(remedies('smart-ata-udma-crc-cable.json')).not.toContain(
      'replace-disk-ticket',
    );
  });

  it('keeps the data of a smartctl run that exited with 216', () => {
    const codes = run(
      'smart-ata-usb-jmicron-reallocated-failing.json',
    ).findings.map((f) => f.code);

    expect(codes).toEqual(
      expect.arrayContaining([
        'smart.self-test-failed',
        'smart.pending-sectors',
      ]),
    );
  });
});

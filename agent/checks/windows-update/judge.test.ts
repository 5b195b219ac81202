import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../core/index.js';
import { readCase, withoutNotes } from '../../test-support/cases.js';
import { HRESULT_CODES } from './codes.js';
import { findHresults } from './hresult.js';
import { judgeWindowsUpdate } from './judge.js';

const cbs = (level: string, text: string) =>
  `2025-02-27 08:58:35, ${level.padEnd(21)} CBS    ${text}`;

const rootOf = (text: string) => judgeWindowsUpdate(text).findings[0];

describe('findHresults', () => {
  it.each([
    ['Send failed with hr = 80072ee2.', '0x80072EE2', 'legacy-hr'],
    ['Exception from HRESULT: 0x8024402C', '0x8024402C', 'hex'],
    [
      'AI failed. HRESULT = HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)',
      '0x80070002',
      'win32',
    ],
    ['HRESULT_FROM_WIN32(14098) #61875#', '0x80073712', 'win32'],
    ['Additional Data: Error Value: 2147942402.', '0x80070002', 'decimal'],
    ['HResult: -2145107924', '0x8024402C', 'decimal'],
    ['[SC] StartService 失败 1058:', '0x80070422', 'win32'],
    ['Error: 112', '0x80070070', 'win32'],
  ])('reads %s', (line, hresult, form) => {
    expect(findHresults(line)).toMatchObject([{ hresult, form }]);
  });

  it('marks GetLastError values and WER flag lookups as noise', () => {
    const hits = findHresults(
      [
        'Attempting to mark store corrupt [gle=0x80004005]',
        cbs(
          'Info',
          'Not able to query DisableWerReporting flag. ' +
            '[HRESULT = 0x80070002 - ERROR_FILE_NOT_FOUND]',
        ),
      ].join('\n'),
    );

    expect(hits.map((h) => h.ignored)).toEqual([
      'GetLastError value, not a result',
      'WER flag lookup',
    ]);
  });

  it('skips NTSTATUS and success values', () => {
    expect(
      findHresults('disposition 0[gle=0xd015001a] status 0x00240005'),
    ).toEqual([]);
  });
});

describe('judgeWindowsUpdate: the root cause, not the first code', () => {
  it('ignores a WER lookup that comes before the corruption', () => {
    const text = [
      cbs(
        'Info',
        'Not able to query DisableWerReporting flag.  Assuming not set... ' +
          '[HRESULT = 0x80070002 - ERROR_FILE_NOT_FOUND]',
      ),
      cbs(
        'Info',
        'Failed to resolve execution chain. [HRESULT = 0x800f0831 - CBS_E_STORE_CORRUPTION]',
      ),
      cbs(
        'Error',
        'Failed to process single phase execution. [HRESULT = 0x800f0831 - CBS_E_STORE_CORRUPTION]',
      ),
    ].join('\n');

    const judged = judgeWindowsUpdate(text);

    expect(judged.verdict).toBe('critical');
    expect(judged.findings).toMatchObject([
      {
        code: 'wu.store-corruption',
        hresult: '0x800F0831',
        detail: { corruptionLines: 2 },
      },
    ]);
  });

  it('counts Info-level corruption lines, not only Error lines', () => {
    const root = rootOf(withoutNotes(readCase('wu-0x80073712-cbs.txt')));

    expect(root?.detail).toMatchObject({ corruptionLines: 6 });
  });

  it('finds the first failing installer before the rollback, whatever it is', () => {
    const text = [
      "    Installer name: 'Services'",
      "Error  CSI (F) Logged @: 'ConfigureService failed. HR=0x80070005.'",
      'Error  CSI (F) Failed execution of queue item Installer: Services ' +
        '({id}) with HRESULT 0x80070005. A rollback will be initiated',
      'Error CBS    Startup: Failed to process advanced operation queue. ' +
        'A rollback transaction will be created. ' +
        '[HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]',
    ].join('\n');

    expect(rootOf(text)).toMatchObject({
      code: 'wu.advanced-installer-failed',
      hresult: '0x80070005',
      detail: { wrapper: '0x800F0922', installer: 'Services' },
    });
  });

  it('falls back to the wrapper when nothing underneath is visible', () => {
    const text =
      'Installation Failure: Windows failed to install the following ' +
      'update with error 0x800F0922: KB5034439.';

    expect(rootOf(text)).toMatchObject({
      code: 'wu.installers-failed',
      subject: 'KB5034439',
    });
  });

  it('prefers a specific cause to a summary code around it', () => {
    const text = [
      'Search failed with 0x80240022',
      'Download failed: 0x80070005',
    ].join('\n');

    expect(judgeWindowsUpdate(text).findings.map((f) => f.code)).toEqual([
      'wu.access-denied',
    ]);
  });
});

describe('judgeWindowsUpdate: context decides', () => {
  it('reads 0x80070643 on a WinRE update as the recovery partition', () => {
    const text = 'KB5042320 Safe OS Dynamic Update failed: error 0x80070643';

    expect(rootOf(text)?.code).toBe('wu.winre-partition-too-small');
  });

  it('reads 0x80070643 elsewhere as a generic installer failure', () => {
    expect(rootOf('Office update KB5002623 failed with 0x80070643')?.code).toBe(
      'wu.install-failure',
    );
  });

  it('reads 0x80240024 after a scan as nothing to do', () => {
    const judged = judgeWindowsUpdate(
      'Agent: Finding updates\nSearch result: 0x80240024',
    );

    expect(judged).toMatchObject({
      verdict: 'info',
      findings: [{ code: 'wu.no-updates' }],
    });
  });

  it('reads 0x80240024 after an install request as nothing applicable', () => {
    const judged = judgeWindowsUpdate(
      'Installing approved updates\nInstall result: 0x80240024',
    );

    expect(judged.findings[0]?.code).toBe('wu.install-nothing-applicable');
    expect(judged.verdict).toBe('warning');
  });

  it('keeps an unknown code and scores it as a warning', () => {
    const judged = judgeWindowsUpdate('WARNING: Sync failed with 0x80248007');

    expect(judged).toMatchObject({
      verdict: 'warning',
      findings: [{ code: 'wu.unknown-error', hresult: '0x80248007' }],
    });
    expect(judged.findings[0]?.title).toContain('0x80248007');
  });

  it('ignores sc errors of services Windows Update does not need', () => {
    const text =
      'C:\\>sc config Spooler start= auto\n[SC] OpenService FAILED 1060:';

    expect(judgeWindowsUpdate(text).verdict).toBe('unknown');
  });

  it('reads a localized sc failure for wuauserv as a disabled service', () => {
    const text = 'C:\\>sc start wuauserv\n[SC] StartService 失败 1058:';

    expect(rootOf(text)).toMatchObject({
      code: 'wu.service-disabled',
      severity: 'critical',
      detail: { patchStatus: 'unknown' },
    });
  });
});

describe('judgeWindowsUpdate: result codes without an HRESULT', () => {
  it.each([
    ['ResultCode : 2', 'ok', undefined],
    ['ResultCode : 4', 'warning', 'wu.update-failed'],
    ['Result : SucceededWithErrors', 'warning', 'wu.update-partial'],
    ['ResultCode=5', 'info', 'wu.update-aborted'],
    ['nothing to see here', 'unknown', 'wu.no-evidence'],
  ])('judges %s as %s', (text, verdict, code) => {
    const judged = judgeWindowsUpdate(text);

    expect(judged.verdict).toBe(verdict);
    expect(judged.findings[0]?.code).toBe(code);
  });
});

describe('HRESULT table', () => {
  it('names only catalogue codes', () => {
    for (const info of Object.values(HRESULT_CODES)) {
      expect(CATALOGUE.has(info.code)).toBe(true);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { readCase } from '../test-support/cases.js';
import { detectKind } from './detect-kind.js';
import { diagnose } from './diagnose.js';
import { decodeInput, withoutAnnotations } from './input.js';

const now = new Date('2024-06-05T00:00:00Z');

describe('detectKind', () => {
  it.each([
    [
      'smartctl compact JSON',
      `${JSON.stringify(JSON.parse(readCase('smart-nvme-media-errors.json')))}\n`,
      'smart',
    ],
    [
      'Get-MpComputerStatus as JSON',
      '{"AMRunningMode":"Normal","AntivirusSignatureAge":2}',
      'antivirus',
    ],
    [
      'a Format-Table SecurityCenter2 dump',
      'displayName      productState\n-----------      ------------\n' +
        'Sophos Anti-Virus       331776',
      'antivirus',
    ],
    [
      'sigtool --info',
      'File: daily.cld\nBuild time: 05 Jun 2024 07:20 +0000\n' +
        'ClamAV-VDB:05 Jun 2024 07-20 +0000:27300:1:90:x:y:z:1717572000',
      'antivirus',
    ],
    [
      'a legacy WindowsUpdate.log line',
      '2016-09-08\t10:48:43:109\t 848\t604\tMisc\tWARNING: Send failed with hr = 80072ee2.',
      'windows-update',
    ],
    [
      'a DISM failure',
      'Deployment Image Servicing and Management tool\nError: 0x800f081f',
      'windows-update',
    ],
    [
      'df -h without its header',
      '$ df -h\n/dev/sda1  25G  16G  7.5G  69% /',
      'disk',
    ],
  ])('recognises %s', (_label, text, kind) => {
    expect(detectKind(text)).toBe(kind);
  });

  it('recognises nothing in prose', () => {
    expect(
      detectKind('The quick brown fox jumps over the lazy dog.'),
    ).toBeUndefined();
  });
});

describe('diagnose on other forms of the same faults', () => {
  it('judges a JSON Get-MpComputerStatus as the list form', () => {
    const json = JSON.stringify({
      AMRunningMode: 'Normal',
      AMServiceEnabled: true,
      AMEngineVersion: '1.1.19600.3',
      AMProductVersion: '4.18.2104.5',
      AntispywareEnabled: true,
      AntispywareSignatureAge: 610,
      AntispywareSignatureLastUpdated: '/Date(1664855545000)/',
    });

    const result = diagnose(json, undefined, { now });

    expect(result).toMatchObject({
      kind: 'antivirus',
      verdict: 'critical',
      findings: [
        { code: 'av.definitions-stale' },
        { code: 'av.platform-outdated' },
      ],
    });
  });

  it('finds a stale third party from a SecurityCenter2 table by its bits', () => {
    const table = [
      'displayName                productState',
      '-----------                ------------',
      'ESET Security                    266256',
      'Windows Defender                 393472',
    ].join('\n');

    expect(diagnose(table, undefined, { now }).findings).toMatchObject([
      { code: 'av.definitions-stale', subject: 'ESET Security' },
    ]);
  });

  it('reads an NVMe critical warning from the text report too', () => {
    const text = readCase('smart-nvme-windows-healthy.txt').replace(
      'Critical Warning:                   0x00',
      'Critical Warning:                   0x04',
    );

    expect(diagnose(text, undefined, { now })).toMatchObject({
      verdict: 'critical',
      findings: [{ code: 'smart.nvme-reliability-degraded' }],
    });
  });

  it('is unknown for truncated smartctl JSON of a known kind', () => {
    const cut = readCase('smart-nvme-media-errors.json').slice(0, 400);

    expect(diagnose(cut, 'smart', { now })).toMatchObject({
      verdict: 'unknown',
      findings: [{ code: 'agent.output-unparsed', severity: 'info' }],
    });
  });
});

describe('decodeInput', () => {
  it('decodes UTF-16 without a byte-order mark and UTF-8 with one', () => {
    const utf16 = Buffer.from('ResultCode : 2\n', 'utf16le');
    const utf8 = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('x'),
    ]);

    expect(decodeInput(utf16)).toBe('ResultCode : 2\n');
    expect(decodeInput(utf8)).toBe('x');
  });

  it('drops only the annotation lines', () => {
    expect(withoutAnnotations('### note\n#### kept\nline')).toBe(
      '#### kept\nline',
    );
  });
});

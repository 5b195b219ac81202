import { describe, expect, it } from 'vitest';
import { readCase, withoutNotes } from '../../test-support/cases.js';
import {
  clamavDatabasesIn,
  parseCvdHeader,
  xprotectInstallsIn,
} from './clamav.js';
import { parseWmiDate } from './dates.js';
import { platformReleased } from './judge-defender.js';
import { parseAntivirus } from './parse.js';
import { decodeProductState } from './product-state.js';
import { parseRecords } from './records.js';
import {
  parseVendorTimestamp,
  vendorSignaturesIn,
} from './vendor-signatures.js';

const stale = withoutNotes(readCase('av-mpstatus-stale-610d.txt'));

/** The wmic fields of the recorded case, printed in the other forms. */
const fields = Object.fromEntries(
  stale
    .split('\n')
    .filter((l) => /^\w+=/.test(l))
    .map((l) => l.split('=') as [string, string]),
);

describe('parseRecords', () => {
  it('reads the same Defender fields from list, table and JSON forms', () => {
    const keys = Object.keys(fields);
    const list = keys.map((k) => `${k.padEnd(34)}: ${fields[k]}`).join('\n');
    const widths = keys.map(
      (k) => Math.max(k.length, (fields[k] ?? '').length) + 1,
    );
    const row = (cells: string[]) =>
      cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('');
    const table = [
      row(keys),
      row(keys.map((_, i) => '-'.repeat((widths[i] ?? 2) - 1))),
      row(keys.map((k) => fields[k] ?? '')),
    ].join('\n');
    const json = JSON.stringify({ ...fields, AMServiceEnabled: true });

    const forms = [stale, list, table, json].map((t) => {
      const record = parseRecords(t).find((r) => 'amrunningmode' in r);
      return [record?.amrunningmode, record?.antispywaresignatureage];
    });

    expect(forms).toEqual(Array(4).fill(['Normal', '610']));
  });

  it('keeps every SecurityCenter2 instance, not only the first or last', () => {
    const records = parseRecords(
      readCase('av-productstate-bitdefender-defender.txt'),
    );

    expect(
      records.filter((r) => 'productstate' in r).map((r) => r.displayname),
    ).toEqual(['Bitdefender Antivirus', 'Windows Defender']);
  });
});

describe('parseAntivirus', () => {
  it('reads SecurityCenter2 as missing on an invalid namespace', () => {
    const result = parseAntivirus(stale);

    expect(result.ok && result.snapshot.securityCenter).toEqual({
      available: false,
    });
  });

  it('decodes the Defender sentinels as never, not as ages', () => {
    const result = parseAntivirus(
      readCase('av-mpstatus-kaspersky-defender-not-running.txt'),
    );

    expect(result.ok && result.snapshot.defender).toMatchObject({
      mode: 'not-running',
      engineLoaded: false,
      antivirusSignatureAge: 'never',
      fullScanAge: 'never',
    });
    // Age 0 beside an empty signature version is no signature at all.
    expect(
      result.ok && result.snapshot.defender?.antispywareSignatureAge,
    ).toBeUndefined();
  });

  it('fails with a reason on output without antivirus status', () => {
    expect(parseAntivirus('Filesystem  Size  Used\n/dev/sda1  1G  1M')).toEqual(
      {
        ok: false,
        reason: 'no antivirus status in the output',
      },
    );
  });
});

describe('decodeProductState', () => {
  it.each([
    [266240, 'Bitdefender on, current', true, false, false],
    [331776, 'Sophos on, current', true, false, false],
    [393472, 'Defender off', false, true, false],
    [397568, 'Defender on, current', true, true, false],
    [0x041010, 'third party on, out of date', true, false, true],
    [0x050000, 'third party off', false, false, false],
  ])('reads %i (%s) by its bits', (raw, _label, on, microsoft, outOfDate) => {
    expect(decodeProductState(raw)).toMatchObject({
      scannerOn: on,
      microsoftProduct: microsoft,
      signaturesOutOfDate: outOfDate,
    });
  });

  it('names the WSC provider flags of the first byte', () => {
    expect(decodeProductState(331776).providers).toEqual([
      'firewall',
      'antivirus',
    ]);
  });
});

describe('dates and versions', () => {
  it.each([
    ['20221004035225.000000+000', '2022-10-04T03:52:25.000Z'],
    ['20221004055225.000000+120', '2022-10-04T03:52:25.000Z'],
    ['/Date(1664855545000)/', '2022-10-04T03:52:25.000Z'],
    ['10/4/2022 3:52:25 AM', '2022-10-04T03:52:25.000Z'],
    ['04.10.2022 3:52:25', '2022-10-04T03:52:25.000Z'],
    ['Wed, 15 Dec 2021 12:40:10 GMT', '2021-12-15T12:40:10.000Z'],
  ])('reads %s', (text, iso) => {
    expect((parseWmiDate(text) as Date).toISOString()).toBe(iso);
  });

  it('reads the 1601 epoch as never', () => {
    expect(parseWmiDate('01.01.1601 6:00:00')).toBe('never');
  });

  it('dates a Defender platform from its version', () => {
    expect(platformReleased('4.18.2104.5')?.toISOString()).toBe(
      '2021-04-01T00:00:00.000Z',
    );
    expect(platformReleased('4.18.24090.11')?.toISOString()).toBe(
      '2024-09-01T00:00:00.000Z',
    );
    expect(platformReleased('0.0.0.0')).toBeUndefined();
  });
});

describe('vendor timestamps', () => {
  it.each([
    ['yyyymmddhh', '2024031508', '2024-03-15T08:00:00.000Z'],
    ['eset-scanner-version', '24246 (20211105)', '2021-11-05T00:00:00.000Z'],
    ['unix-seconds', '1710491520', '2024-03-15T08:32:00.000Z'],
    ['yyyymmdd', '20240315', '2024-03-15T00:00:00.000Z'],
  ] as const)('reads %s %s', (format, raw, iso) => {
    expect((parseVendorTimestamp(format, raw) as Date).toISOString()).toBe(iso);
  });

  it('reads 0xFFFFFFFF as never', () => {
    expect(parseVendorTimestamp('unix-seconds', '0xffffffff')).toBe('never');
  });

  it('finds vendor values in reg query output', () => {
    const text = [
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\ESET\\ESET Security\\CurrentVersion\\Info',
      '    ScannerVersion    REG_SZ    24246 (20211105)',
    ].join('\n');

    expect(vendorSignaturesIn(text)).toMatchObject([{ product: 'eset' }]);
  });
});

describe('ClamAV and XProtect', () => {
  const header =
    'ClamAV-VDB:15 Mar 2024 08-32 +0000:27215:2058571:90:' +
    '0123456789abcdef0123456789abcdef:sig:raynman:1710491520';

  it('prefers the epoch field of a CVD header', () => {
    expect(parseCvdHeader(header, 'daily')).toEqual({
      name: 'daily',
      version: 27215,
      builtAt: new Date('2024-03-15T08:32:00Z'),
    });
  });

  it('reads the text time of an old header without an epoch', () => {
    const old =
      'ClamAV-VDB:07 Mar 2017 08-02 -0500:23182:1741572:63:c15:QC2:neo';

    expect(parseCvdHeader(old)?.builtAt?.toISOString()).toBe(
      '2017-03-07T13:02:00.000Z',
    );
  });

  it('names databases from head and reads clamscan --version', () => {
    const text = [
      '==> /var/lib/clamav/daily.cld <==',
      header,
      'ClamAV 1.0.5/27216/Sat Mar 16 08:32:00 2024',
    ].join('\n');

    expect(clamavDatabasesIn(text).map((d) => [d.name, d.version])).toEqual([
      ['daily', 27215],
      ['daily', 27216],
    ]);
  });

  it('reads XProtect installs from the install history', () => {
    const text = [
      'Installations:',
      '',
      '    XProtectPlistConfigData:',
      '',
      '      Version: 2166',
      '      Source: Apple',
      '      Install Date: 2/27/24, 4:10 PM',
    ].join('\n');

    expect(xprotectInstallsIn(text)).toEqual([
      {
        name: 'XProtectPlistConfigData',
        version: '2166',
        installedAt: new Date('2024-02-27T16:10:00Z'),
      },
    ]);
  });
});

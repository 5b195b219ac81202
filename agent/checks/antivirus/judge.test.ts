import { describe, expect, it } from 'vitest';
import { readCase, withoutNotes } from '../../test-support/cases.js';
import { judgeAntivirus } from './judge.js';
import { parseAntivirus } from './parse.js';
import { decodeProductState } from './product-state.js';
import type { AvSnapshot, SecurityCenterProduct } from './types.js';

const now = new Date('2024-06-05T00:00:00Z');

function judgeText(text: string) {
  const parsed = parseAntivirus(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return judgeAntivirus(parsed.snapshot, { now });
}

/** The recorded Get-MpComputerStatus list with some fields replaced. */
function mpStatus(changes: Record<string, string>) {
  let text = readCase('av-mpstatus-kaspersky-defender-not-running.txt');
  for (const [key, value] of Object.entries(changes)) {
    text = text.replace(
      new RegExp(`^${key}(\\s*):.*$`, 'm'),
      `${key}$1: ${value}`,
    );
  }
  return text;
}

const normalDefender = {
  AMRunningMode: 'Normal',
  AMServiceEnabled: 'True',
  AMEngineVersion: '1.1.24080.9',
  AMProductVersion: '4.18.24050.7',
  AntivirusEnabled: 'True',
  AntispywareEnabled: 'True',
  AntivirusSignatureAge: '1',
  AntivirusSignatureVersion: '1.413.1.0',
  AntispywareSignatureAge: '1',
  AntispywareSignatureVersion: '1.413.1.0',
  FullScanAge: '3',
};

const product = (name: string, state: number): SecurityCenterProduct => ({
  displayName: name,
  state: decodeProductState(state),
});

const judgeSc = (products: SecurityCenterProduct[], extra: AvSnapshot = {}) =>
  judgeAntivirus(
    { securityCenter: { available: true, products }, ...extra },
    { now },
  );

const codes = (j: { findings: { code: string }[] }) =>
  j.findings.map((f) => f.code);

describe('judgeAntivirus: Defender sentinels and modes', () => {
  it('never reads 65535 as an age when Defender is not running', () => {
    const judged = judgeText(
      readCase('av-mpstatus-kaspersky-defender-not-running.txt'),
    );

    expect(codes(judged)).toEqual(['av.defender-inactive']);
    expect(judged.verdict).toBe('info');
  });

  it('reads 65535 on an active Defender as never updated', () => {
    const judged = judgeText(
      mpStatus({ ...normalDefender, AntivirusSignatureAge: '65535' }),
    );

    expect(judged.findings[0]).toMatchObject({
      code: 'av.definitions-never-updated',
      severity: 'critical',
    });
  });

  it('reads a scan age of 4294967295 as never scanned', () => {
    const judged = judgeText(
      mpStatus({ ...normalDefender, FullScanAge: '4294967295' }),
    );

    expect(judged.findings).toMatchObject([
      { code: 'av.full-scan-overdue', detail: { ageDays: 'never' } },
    ]);
  });

  it('does not trust the toggles of a passive Defender', () => {
    const judged = judgeText(
      mpStatus({
        ...normalDefender,
        AMRunningMode: 'Passive Mode',
        AntivirusSignatureAge: '40',
      }),
    );

    expect(codes(judged)).toEqual(['av.defender-passive']);
  });

  it('finds real-time protection off on an active Defender', () => {
    const text = `${mpStatus(normalDefender).trimEnd()}\nRealTimeProtectionEnabled        : False`;

    expect(codes(judgeText(text))).toEqual(['av.realtime-disabled']);
  });

  it('scales stale definitions with their age', () => {
    const warning = judgeText(
      mpStatus({ ...normalDefender, AntivirusSignatureAge: '5' }),
    );
    const critical = judgeText(
      mpStatus({ ...normalDefender, AntivirusSignatureAge: '9' }),
    );

    expect(warning.verdict).toBe('warning');
    expect(critical.verdict).toBe('critical');
  });
});

describe('judgeAntivirus: SecurityCenter2 decoded by bits', () => {
  it('accepts Defender off while a third party protects', () => {
    expect(
      judgeText(readCase('av-productstate-bitdefender-defender.txt')),
    ).toEqual({
      verdict: 'ok',
      findings: [],
    });
  });

  it.each([
    ['Sophos Anti-Virus', 331776],
    ['ESET Security', 0x041000],
    ['Webroot SecureAnywhere', 0x041000],
    ['Kaspersky Endpoint Security', 0x041000],
  ])('accepts %s on and current', (name, state) => {
    expect(judgeSc([product(name, state)]).verdict).toBe('ok');
  });

  it.each([
    ['ESET Security', 'eset'],
    ['Kaspersky Endpoint Security', 'kaspersky'],
    ['Trend Micro Security Agent', 'trend-micro'],
  ])('warns when %s reports its definitions out of date', (name, key) => {
    const judged = judgeSc([product(name, 0x041010)]);

    expect(judged.findings).toMatchObject([
      {
        code: 'av.definitions-stale',
        severity: 'warning',
        detail: { product: key },
      },
    ]);
  });

  it('finds two products fighting', () => {
    const judged = judgeSc([
      product('Bitdefender Antivirus', 266240),
      product('Windows Defender', 397568),
    ]);

    expect(judged.findings).toMatchObject([
      {
        code: 'av.multiple-active',
        subject: 'Bitdefender Antivirus + Windows Defender',
      },
    ]);
  });

  it('finds nothing protecting when every scanner is off', () => {
    const judged = judgeSc([
      product('Sophos Anti-Virus', 0x050000),
      product('Windows Defender', 393472),
    ]);

    expect(judged.findings[0]?.code).toBe('av.no-active-protection');
    expect(judged.verdict).toBe('critical');
  });

  it('ignores the entry of an uninstalled product', () => {
    const gone = { ...product('Avast Antivirus', 0x041000), installed: false };

    const judged = judgeSc([gone, product('Windows Defender', 393472)]);

    expect(codes(judged)).toEqual(['av.no-active-protection']);
  });

  it('keeps the newest of duplicate entries of one product', () => {
    const old = {
      ...product('Sophos Anti-Virus', 331776),
      timestamp: new Date('2023-01-01'),
    };
    const current = {
      ...product('Sophos Anti-Virus', 0x050000),
      timestamp: new Date('2024-05-01'),
    };

    expect(codes(judgeSc([old, current]))).toEqual(['av.no-active-protection']);
  });

  it('reports no product when SecurityCenter2 lists none', () => {
    expect(codes(judgeSc([]))).toEqual(['av.product-missing']);
  });
});

describe('judgeAntivirus: vendor timestamps cross-check productState', () => {
  it('finds Sophos stale from its own timestamp although productState says current', () => {
    const judged = judgeSc([product('Sophos Anti-Virus', 331776)], {
      vendorSignatures: [
        {
          product: 'sophos',
          updatedAt: new Date('2024-05-20T00:00:00Z'),
          source: 'registry',
        },
      ],
    });

    expect(judged.findings).toMatchObject([
      {
        code: 'av.definitions-stale',
        severity: 'critical',
        detail: { ageDays: 16 },
      },
    ]);
  });

  it('trusts a fresh vendor timestamp over the out-of-date bit', () => {
    const judged = judgeSc([product('ESET Security', 0x041010)], {
      vendorSignatures: [
        {
          product: 'eset',
          updatedAt: new Date('2024-06-04T00:00:00Z'),
          source: 'registry',
        },
      ],
    });

    expect(judged.verdict).toBe('ok');
  });
});

describe('judgeAntivirus: servers without SecurityCenter2', () => {
  it('judges an active Defender and notes the missing namespace', () => {
    const judged = judgeText(
      withoutNotes(readCase('av-mpstatus-stale-610d.txt')),
    );

    expect(codes(judged)).toEqual([
      'av.definitions-stale',
      'av.platform-outdated',
      'av.securitycenter-missing',
    ]);
  });

  it('is unknown, not unprotected, when Defender is off and SecurityCenter2 absent', () => {
    const judged = judgeAntivirus(
      {
        securityCenter: { available: false },
        defender: { mode: 'not-running' },
      },
      { now },
    );

    expect(judged.verdict).toBe('unknown');
    expect(codes(judged)).toContain('av.protection-unconfirmed');
  });
});

describe('judgeAntivirus: ClamAV and XProtect', () => {
  const db = (builtAt: string) => ({
    clamav: [{ name: 'daily', builtAt: new Date(builtAt) }],
  });

  it('accepts a fresh ClamAV database and flags an old one', () => {
    expect(judgeAntivirus(db('2024-06-04T08:00:00Z'), { now }).verdict).toBe(
      'ok',
    );
    expect(
      judgeAntivirus(db('2024-05-01T08:00:00Z'), { now }).findings,
    ).toMatchObject([
      {
        code: 'av.definitions-stale',
        subject: 'ClamAV',
        detail: { product: 'clamav' },
      },
    ]);
  });

  it('allows XProtect its slower release cadence', () => {
    const xprotect = (at: string) => ({
      xprotect: [
        { name: 'XProtectPlistConfigData', installedAt: new Date(at) },
      ],
    });

    expect(
      judgeAntivirus(xprotect('2024-05-01T00:00:00Z'), { now }).verdict,
    ).toBe('ok');
    expect(
      judgeAntivirus(xprotect('2024-03-01T00:00:00Z'), { now }).verdict,
    ).toBe('warning');
  });
});

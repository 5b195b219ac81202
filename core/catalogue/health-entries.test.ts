import { describe, expect, it } from 'vitest';
import { ANTIVIRUS_ENTRIES } from './antivirus.js';
import { CATALOGUE } from './index.js';
import { SMART_ENTRIES } from './smart.js';
import { WINDOWS_UPDATE_ENTRIES } from './windows-update.js';

const REQUIRED_HRESULTS = [
  '0x80070002',
  '0x80070003',
  '0x80070005',
  '0x8007000D',
  '0x80070070',
  '0x80070422',
  '0x800705B4',
  '0x80070643',
  '0x80073712',
  '0x800F081F',
  '0x800F0922',
  '0x8024402C',
  '0x80072EE2',
  '0x80240034',
  '0x8024001E',
  '0x80240022',
  '0x80240024',
  '0x80244022',
  '0x80246007',
  '0x8024A105',
  '0x80242016',
];

const ALL = [...SMART_ENTRIES, ...ANTIVIRUS_ENTRIES, ...WINDOWS_UPDATE_ENTRIES];

describe('SMART, antivirus and Windows Update catalogue entries', () => {
  it('registers every entry in the catalogue', () => {
    for (const entry of ALL) {
      expect(CATALOGUE.get(entry.code)?.title).toBe(entry.title);
    }
  });

  it('covers every Windows Update HRESULT the remedies are keyed by', () => {
    const known = new Set(WINDOWS_UPDATE_ENTRIES.map((e) => e.hresult));

    const missing = REQUIRED_HRESULTS.filter((h) => !known.has(h));

    expect(missing).toEqual([]);
  });

  it('keys antivirus chains by product, with the named vendors', () => {
    const stale = CATALOGUE.get('av.definitions-stale');

    expect(Object.keys(stale?.remedies ?? {})).toEqual(
      expect.arrayContaining([
        'defender',
        'sophos',
        'eset',
        'webroot',
        'bitdefender',
        'kaspersky',
        'clamav',
      ]),
    );
  });

  it('gives vendor URLs or docs paths as sources', () => {
    for (const entry of ALL) {
      expect(entry.source).toMatch(/^(https:\/\/|docs\/)/);
    }
  });

  it('never tells Windows Update to reset components for connectivity', () => {
    for (const code of ['wu.server-timeout', 'wu.proxy-name-not-resolved']) {
      const chain = CATALOGUE.get(code)?.remedies['windows-update'] ?? [];

      expect(chain.map((s) => s.remedy)).not.toContain('reset-wu-components');
    }
  });
});

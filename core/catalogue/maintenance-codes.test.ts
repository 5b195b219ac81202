import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, policySection } from '../policy.js';
import { CLEANUP_ENTRIES } from './cleanup.js';
import { CATALOGUE } from './index.js';
import { PATCH_ENTRIES } from './patches.js';
import { SPYWARE_ENTRIES } from './spyware.js';

describe('maintenance check codes', () => {
  it('registers every cleanup, patch and spyware code once', () => {
    const codes = [
      ...CLEANUP_ENTRIES,
      ...PATCH_ENTRIES,
      ...SPYWARE_ENTRIES,
    ].map((entry) => entry.code);

    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(CATALOGUE.has(code)).toBe(true);
  });

  it('keeps each check under its own code prefix', () => {
    expect(CLEANUP_ENTRIES.every((e) => e.code.startsWith('cleanup.'))).toBe(
      true,
    );
    expect(PATCH_ENTRIES.every((e) => e.code.startsWith('patch.'))).toBe(true);
    expect(SPYWARE_ENTRIES.every((e) => e.code.startsWith('spyware.'))).toBe(
      true,
    );
  });
});

describe('policySection', () => {
  it('fills a section missing from an older policy with the defaults', () => {
    const old = { version: 1, disk: DEFAULT_POLICY.disk };

    expect(policySection(old, 'cleanup')).toEqual({
      maxAgeDays: 7,
      dryRun: true,
      allowIso: false,
      categories: [],
    });
  });

  it('keeps the values a policy sets and defaults the rest', () => {
    const policy = {
      ...DEFAULT_POLICY,
      patches: { ...DEFAULT_POLICY.patches, criticalCount: 3 },
    } as typeof DEFAULT_POLICY;

    expect(policySection(policy, 'patches').criticalCount).toBe(3);
    expect(policySection(policy, 'patches').mode).toBe('all-security');
  });
});

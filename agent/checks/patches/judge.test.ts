import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  type PatchPolicy,
  policySection,
  reportMaxBytes,
} from '../../../core/index.js';
import { parseAptSimulation } from './apt-parse.js';
import { judgePatches } from './judge.js';
import type { PatchState } from './types.js';

const policy = policySection(DEFAULT_POLICY, 'patches');
const NOW = new Date('2024-03-01T00:00:00Z');

function apt(updates: PatchState['updates'], listAgeDays = 0): PatchState {
  return { source: 'apt', updates, listAgeDays, rebootPending: false };
}

const judge = (state: PatchState, p: PatchPolicy = policy) =>
  judgePatches({ state, problems: [] }, p, NOW);

describe('judgePatches', () => {
  it('is ok when a search ran and nothing is missing', () => {
    const result = judge(apt([]));

    expect(result.verdict).toBe('ok');
    expect(result.data.missing).toBe(0);
  });

  it('warns on a few security updates and informs on the others', () => {
    const result = judge(
      apt([
        { id: 'openssl', security: true },
        { id: 'tzdata', security: false },
      ]),
    );

    expect(result.verdict).toBe('warning');
    expect(result.findings.map((f) => [f.code, f.severity])).toEqual([
      ['patch.security-missing', 'warning'],
      ['patch.updates-missing', 'info'],
    ]);
  });

  it('turns critical at the policy count', () => {
    const updates = Array.from({ length: 3 }, (_, i) => ({
      id: `p${i}`,
      security: true,
    }));

    const result = judge(apt(updates), { ...policy, criticalCount: 3 });

    expect(result.findings[0]).toMatchObject({
      severity: 'critical',
      detail: { count: 3, critical: 'count >= 3' },
    });
  });

  it('turns critical when an update is older than the policy age', () => {
    const result = judge({
      source: 'windows-update',
      updates: [
        { id: 'KB1', security: true, releasedAt: '2024-01-01T00:00:00Z' },
      ],
    });

    expect(result.findings[0]).toMatchObject({
      severity: 'critical',
      detail: { critical: 'KB1 older than 30 days' },
    });
  });

  it('counts only whitelisted updates as approved in whitelist mode', () => {
    const result = judge(
      apt([
        { id: 'openssl', security: true },
        { id: 'curl', security: true },
        { id: 'tzdata', security: false },
      ]),
      { ...policy, mode: 'whitelist', whitelist: ['curl'] },
    );

    expect(result.data).toMatchObject({ approved: 1, approvedIds: ['curl'] });
    expect(result.findings[1]).toMatchObject({
      code: 'patch.updates-missing',
      detail: { count: 2 },
    });
  });

  it('warns that stale lists make the count a floor', () => {
    const result = judge(apt([], 12));

    expect(result.findings).toMatchObject([
      {
        code: 'patch.lists-stale',
        severity: 'warning',
        detail: { listAgeDays: 12, maxListAgeDays: 7 },
      },
    ]);
  });

  it('lists all 144 captured updates, approved first, within the budget', () => {
    const text = readFileSync(
      new URL('fixtures/apt-get-s-dist-upgrade.debian12.txt', import.meta.url),
      'utf8',
    );
    const updates = parseAptSimulation(text)?.updates ?? [];

    const result = judge(apt(updates));
    const listed = result.data.updates as { sec: boolean }[];
    const perEntry = Buffer.byteLength(JSON.stringify(listed)) / listed.length;

    expect(result.data).toMatchObject({ missing: 144, security: 93 });
    expect(listed).toHaveLength(144);
    expect(listed.slice(0, 93).every((u) => u.sec)).toBe(true);
    expect(perEntry).toBeLessThan(60);
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThan(
      reportMaxBytes('patch-assessment'),
    );
  });

  it('keeps the longest Windows list within the budget', () => {
    const updates = Array.from({ length: 600 }, (_, i) => ({
      id: `KB${5_000_000 + i}`,
      title: `2024-02 Cumulative Update for Windows 11 (KB${5_000_000 + i})`,
      security: true,
      classification: 'Security Updates',
      severity: 'Important',
      releasedAt: '2024-02-13T00:00:00Z',
    }));

    const result = judgePatches(
      {
        state: { source: 'windows-update', updates, rebootPending: false },
        problems: [],
      },
      policy,
      NOW,
    );
    const listed = result.data.updates as unknown[];
    const perEntry = Buffer.byteLength(JSON.stringify(listed)) / listed.length;

    expect(result.data).toMatchObject({ missing: 600, approved: 600 });
    expect(listed).toHaveLength(400);
    expect(perEntry).toBeLessThan(110);
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThan(
      reportMaxBytes('patch-assessment'),
    );
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, policySection } from '../../../core/index.js';
import { reportedUpdates } from '../../../core/patches/index.js';
import { judgePatches } from './judge.js';
import { parseWindowsPatch } from './windows-parse.js';

const wua = JSON.parse(
  readFileSync(
    new URL('fixtures/wua-three-missing.json', import.meta.url),
    'utf8',
  ),
);
const policy = policySection(DEFAULT_POLICY, 'patches');
const NOW = new Date('2024-01-20T12:00:00Z');
const FAILED = wua.History[0];

function judge(raw: unknown, patches = policy) {
  const state = parseWindowsPatch(JSON.stringify(raw));
  if (!state) throw new Error('fixture does not parse');
  return judgePatches({ state, problems: [] }, patches, NOW);
}

describe('patch assessment for Patch Doctor', () => {
  it('lists the missing updates the cloud approves from', () => {
    const result = judge(wua);

    expect(reportedUpdates(result.data)).toEqual([
      {
        id: 'KB5034123',
        security: true,
        classification: 'Security Updates',
        severity: 'Important',
        releasedAt: '2024-01-09T00:00:00Z',
      },
      {
        id: 'KB5034685',
        security: true,
        classification: 'Security Updates',
        severity: 'Critical',
        releasedAt: '2024-01-09T00:00:00Z',
      },
      {
        id: 'KB890830',
        security: false,
        classification: 'Updates',
        releasedAt: '2024-01-09T00:00:00Z',
      },
    ]);
    expect(JSON.stringify(result.data).length).toBeLessThan(1500);
  });

  it('names the KB of a failed install in the finding', () => {
    const result = judge(wua);

    const failed = result.findings.find((f) => f.hresult === '0x80070643');
    expect(failed?.detail).toMatchObject({ kb: 'KB5034441', resultCode: 4 });
  });

  it('drops a failure that a later install of the same KB made good', () => {
    const retried = {
      ...wua,
      History: [
        {
          ...FAILED,
          Title: `${FAILED.Title} - retry`,
          ResultCode: 2,
          HResult: 0,
          Date: '2024-01-15T02:00:00.0000000Z',
        },
        ...wua.History,
      ],
    };

    const result = judge(retried);

    expect(result.findings.some((f) => f.hresult === '0x80070643')).toBe(false);
    // The aborted KB5033375 of the fixture is still open.
    expect(result.data.failedInstalls).toBe(1);
  });

  it('counts approvals with the block list and defer days', () => {
    const strict = {
      ...policy,
      blocklist: ['KB5034685'],
      deferDays: 14,
    };

    // Both security updates are 11 days old: deferred; one also blocked.
    expect(judge(wua, strict).data.approved).toBe(0);
    expect(judge(wua, { ...strict, deferDays: 0 }).data.approvedIds).toEqual([
      'KB5034123',
    ]);
  });
});

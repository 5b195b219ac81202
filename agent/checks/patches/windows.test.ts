import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  findingSchema,
  policySection,
} from '../../../core/index.js';
import type { CommandResult } from '../../platform/command.js';
import { decodePowershellArgs } from '../../platform/windows/powershell.js';
import { readCase, withoutNotes } from '../../test-support/cases.js';
import { judgePatches } from './judge.js';
import { probeWindows } from './probes.js';
import { hresultHex, parseWindowsPatch } from './windows-parse.js';

const fixture = (name: string) =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const policy = policySection(DEFAULT_POLICY, 'patches');
const NOW = new Date('2024-01-20T12:00:00Z');

/**
 * PowerShell cannot run here: a runner that hands back the recorded stdout
 * as powershell.exe would, and keeps the script it was given.
 */
function recorded(stdout: string, exitCode = 0, stderr = '') {
  const calls: string[] = [];
  const run = async (command: string, args: readonly string[]) => {
    calls.push(decodePowershellArgs(args));
    const result: CommandResult = {
      ...{ command, args, exitCode, stdout, stderr, timedOut: false },
    };
    return result;
  };
  return { run, calls };
}

describe('Windows patch probe', () => {
  it('reads missing updates: KB, class, severity and size', async () => {
    const { run, calls } = recorded(fixture('wua-three-missing.json'));

    const probe = await probeWindows(run);

    expect(calls[0]).toContain("Search('IsInstalled=0 and IsHidden=0')");
    expect(probe.state?.updates?.[0]).toEqual({
      id: 'KB5034123',
      title:
        '2024-01 Cumulative Update for Windows 11 Version 23H2 for x64-based ' +
        'Systems (KB5034123)',
      security: true,
      classification: 'Security Updates',
      severity: 'Important',
      sizeBytes: 813694976,
      rebootBehavior: 1,
      releasedAt: '2024-01-09T00:00:00.0000000Z',
    });
    expect(probe.state?.updates?.[2]?.security).toBe(false);
    expect(probe.state?.rebootPending).toBe(true);
  });

  it('judges updates with one rated Critical as critical', async () => {
    const { run } = recorded(fixture('wua-three-missing.json'));

    const result = judgePatches(await probeWindows(run), policy, NOW);

    expect(result.verdict).toBe('critical');
    expect(result.findings[0]).toMatchObject({
      code: 'patch.security-missing',
      severity: 'critical',
      detail: { count: 2, critical: 'KB5034685 rated Critical' },
    });
    expect(result.data).toMatchObject({
      source: 'windows-update',
      missing: 3,
      security: 2,
      approved: 2,
      approvedIds: ['KB5034123', 'KB5034685'],
      downloadBytes: 813694976 + 55574528 + 67891200,
      rebootPending: true,
      failedInstalls: 2,
    });
  });

  it('judges failed installs by their HRESULT, newest first', async () => {
    const { run } = recorded(fixture('wua-three-missing.json'));

    const result = judgePatches(await probeWindows(run), policy, NOW);
    const failed = result.findings.filter((f) => f.code.startsWith('wu.'));
    expect(() => findingSchema.array().parse(result.findings)).not.toThrow();

    expect(failed.map((f) => [f.code, f.hresult])).toEqual([
      ['wu.install-failure', '0x80070643'],
      ['wu.update-aborted', undefined],
    ]);
    expect(failed[0]?.subject).toContain('KB5034441');
  });

  it('reports a disabled service as unknown, never 0 missing', async () => {
    const { run } = recorded(fixture('wua-service-disabled.json'));

    const result = judgePatches(await probeWindows(run), policy, NOW);

    expect(result.verdict).toBe('critical');
    expect(result.data.missing).toBeNull();
    expect(result.findings.map((f) => f.code)).toEqual([
      'wu.service-disabled',
      'patch.status-unknown',
    ]);
    expect(result.findings[1]?.detail).toEqual({
      service: { startMode: 'Disabled', state: 'Stopped' },
    });
  });

  it('reports a deleted service as missing, with unknown status', async () => {
    const { run } = recorded(fixture('wua-service-deleted.json'));

    const result = judgePatches(await probeWindows(run), policy, NOW);

    expect(result.findings.map((f) => f.code)).toEqual([
      'wu.service-missing',
      'patch.status-unknown',
    ]);
    expect(result.data.missing).toBeNull();
  });

  it('keeps the search HRESULT when the search throws', async () => {
    const { run } = recorded(fixture('wua-search-error.json'));

    const result = judgePatches(await probeWindows(run), policy, NOW);

    expect(result.findings).toMatchObject([
      { code: 'wu.service-disabled', hresult: '0x80070422' },
      { code: 'patch.status-unknown', hresult: '0x80070422' },
    ]);
    expect(result.data.missing).toBeNull();
  });

  it('does not call a WMI failure a deleted service', () => {
    const state = parseWindowsPatch(
      fixture('wua-wmi-broken-none-missing.json'),
    );

    expect(state?.service).toBeUndefined();
    expect(judgePatches({ state, problems: [] }, policy, NOW).verdict).toBe(
      'ok',
    );
  });

  it('reads a lone update that PowerShell 5.1 wrote without its array', () => {
    const state = parseWindowsPatch(
      fixture('wua-single-update-unwrapped.json'),
    );

    expect(state?.updates).toMatchObject([
      { id: 'KB5027397', security: false, classification: 'Upgrades' },
    ]);
  });

  it('never reads the failed service case output as compliant', async () => {
    // What a wrapper sees when the service cannot start: error text and a
    // non-zero exit, no JSON.
    const text = withoutNotes(
      readCase('wu-0x80070422-service-disabled-check-ok.txt'),
    );
    const { run } = recorded('', 1, text);

    const result = judgePatches(await probeWindows(run), policy, NOW);

    expect(result.verdict).not.toBe('ok');
    expect(result.data.missing).toBeNull();
    expect(result.findings.map((f) => f.code)).toEqual([
      'agent.output-unparsed',
      'patch.status-unknown',
    ]);
    expect(result.findings[0]?.detail).toMatchObject({
      command: expect.stringContaining('powershell.exe'),
      exitCode: 1,
    });
  });

  it('writes HRESULTs as unsigned hex', () => {
    expect(hresultHex(-2147023838)).toBe('0x80070422');
    expect(hresultHex(0)).toBe('0x00000000');
  });
});

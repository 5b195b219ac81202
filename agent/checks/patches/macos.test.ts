import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, policySection } from '../../../core/index.js';
import { runCommand } from '../../platform/command.js';
import { judgePatches } from './judge.js';
import { parseSoftwareUpdate } from './macos-parse.js';
import { probeMac } from './probes.js';

const fixture = (name: string) =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const policy = policySection(DEFAULT_POLICY, 'patches');

describe('softwareupdate --list', () => {
  it('reads labels, titles, versions, sizes and restarts', () => {
    const updates = parseSoftwareUpdate(
      fixture('softwareupdate-list.three-updates.txt'),
      '',
    );

    expect(updates).toEqual([
      {
        id: 'macOS Ventura 13.6.4-22G513',
        title: 'macOS Ventura 13.6.4',
        security: true,
        version: '13.6.4',
        sizeBytes: 1002436 * 1024,
        rebootBehavior: 1,
      },
      {
        id: 'Safari17.3VenturaAuto-17.3',
        title: 'Safari',
        security: true,
        version: '17.3',
        sizeBytes: 158613 * 1024,
      },
      {
        id: 'Command Line Tools for Xcode-15.1',
        title: 'Command Line Tools for Xcode',
        security: false,
        version: '15.1',
        sizeBytes: 735052 * 1024,
      },
    ]);
  });

  it('reads the "No new software" notice on stderr as zero updates', () => {
    expect(
      parseSoftwareUpdate(
        fixture('softwareupdate-list.none.stdout.txt'),
        fixture('softwareupdate-list.none.stderr.txt'),
      ),
    ).toEqual([]);
  });

  it('gives undefined for output with neither updates nor the notice', () => {
    expect(
      parseSoftwareUpdate(fixture('softwareupdate-list.none.stdout.txt'), ''),
    ).toBeUndefined();
  });

  it('reports unknown status where softwareupdate does not exist', async () => {
    const now = new Date();

    const result = judgePatches(await probeMac(runCommand), policy, now);

    expect(result.data.missing).toBeNull();
    expect(result.findings.map((f) => f.code)).toEqual([
      'agent.probe-failed',
      'patch.status-unknown',
    ]);
  });
});

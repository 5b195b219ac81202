import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  diskSpaceDataSchema,
  findingSchema,
  type Volume,
} from '../../../core/index.js';
import { silentLogger } from '../../logger.js';
import { type CommandRunner, runCommand } from '../../platform/command.js';
import type { CheckContext } from '../types.js';
import { judgeBtrfs } from './btrfs-judge.js';
import { parseBtrfsUsage } from './btrfs-usage.js';
import { createDiskSpaceCheck } from './check.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const recorded = (name: string) =>
  readFileSync(new URL(`btrfs-usage-b.${name}.txt`, FIXTURES), 'utf8');

const dir = mkdtempSync(join(tmpdir(), 'upkeep-btrfs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseBtrfsUsage', () => {
  it('reads the figures of a recorded report', () => {
    const usage = parseBtrfsUsage(recorded('metadata-full'));

    expect(usage).toEqual({
      deviceSize: 2_147_483_648,
      deviceUnallocated: 1_048_576,
      freeEstimated: 644_087_808,
      globalReserve: 5_767_168,
      metadataRatio: 2,
      data: { size: 1_902_379_008, used: 1_258_291_200 },
      metadata: { size: 113_639_424, used: 103_890_944 },
    });
  });

  it('reads sizes printed with units', () => {
    // The layout of the report without -b, written for this test.
    const human = [
      'Overall:',
      '    Device size:\t\t  40.00GiB',
      '    Device unallocated:\t\t 512.00MiB',
      '    Global reserve:\t\t  56.00MiB\t(used: 0.00B)',
      '',
      'Metadata,DUP: Size:1.00GiB, Used:950.00MiB (92.77%)',
    ].join('\n');

    expect(parseBtrfsUsage(human)).toMatchObject({
      deviceSize: 40 * 1024 ** 3,
      deviceUnallocated: 512 * 1024 ** 2,
      globalReserve: 56 * 1024 ** 2,
      metadata: { size: 1024 ** 3, used: 950 * 1024 ** 2 },
    });
  });

  it('gives nothing for text that is not a usage report', () => {
    expect(parseBtrfsUsage('ERROR: not a btrfs filesystem: /boot')).toBe(
      undefined,
    );
  });
});

describe('judgeBtrfs on recorded reports', () => {
  // Oracle: the recorded volume refused new files (ENOSPC) with 30 % free
  // by df, its metadata full and 1 MiB of the device unallocated.
  it('finds the volume that is full with free data space', () => {
    const usage = parseBtrfsUsage(recorded('metadata-full'));
    if (!usage) throw new Error('unparsed');

    const findings = judgeBtrfs('/srv', usage);

    expect(findings).toMatchObject([
      {
        code: 'disk.btrfs-metadata-full',
        severity: 'critical',
        subject: '/srv',
        detail: { unallocatedBytes: 1_048_576, metadataPercent: 96.5 },
      },
    ]);
  });

  it('warns when data chunks took the device but metadata has room', () => {
    const usage = parseBtrfsUsage(recorded('chunks-allocated'));
    if (!usage) throw new Error('unparsed');

    expect(judgeBtrfs('/srv', usage)).toMatchObject([
      { code: 'disk.btrfs-unallocated-low', severity: 'warning' },
    ]);
  });

  it('finds nothing on a new volume', () => {
    const usage = parseBtrfsUsage(recorded('fresh'));
    if (!usage) throw new Error('unparsed');

    expect(judgeBtrfs('/srv', usage)).toEqual([]);
  });
});

describe('the disk-space check on a btrfs volume', () => {
  /** The recorded volume as statfs saw it: 644 MB of 2 GiB available. */
  const volume: Volume = {
    id: '/srv',
    mount: '/srv',
    device: '/dev/loop0',
    fsType: 'btrfs',
    role: 'data',
    totalBytes: 2_147_483_648,
    freeBytes: 644_087_808,
    availableBytes: 644_087_808,
  };

  /** A stand-in `btrfs` (a real process) printing a recorded report. */
  function btrfsPrinting(name: string, calls: string[][]): CommandRunner {
    const script = join(dir, `btrfs-${name}`);
    writeFileSync(join(dir, `${name}.txt`), recorded(name));
    writeFileSync(script, `#!/bin/sh\ncat '${join(dir, `${name}.txt`)}'\n`);
    chmodSync(script, 0o755);
    return (command, args, options) => {
      calls.push([command, ...args]);
      return runCommand(command === 'btrfs' ? script : command, args, options);
    };
  }

  function context(run: CommandRunner): CheckContext {
    return {
      now: () => new Date(),
      policy: DEFAULT_POLICY,
      platform: 'linux',
      run,
      logger: silentLogger,
      trigger: 'on-demand',
    };
  }

  it('is critical although statfs shows 30 % free', async () => {
    const calls: string[][] = [];
    const check = createDiskSpaceCheck({
      linux: async () => ({ volumes: [volume], skipped: [] }),
    });

    const result = await check.run(
      context(btrfsPrinting('metadata-full', calls)),
    );

    expect(calls).toEqual([['btrfs', 'filesystem', 'usage', '-b', '/srv']]);
    expect(result.verdict).toBe('critical');
    expect(result.findings.map((f) => f.code)).toEqual([
      'disk.btrfs-metadata-full',
    ]);
    expect(diskSpaceDataSchema.parse(result.data).btrfs).toEqual([
      { id: '/srv', unallocatedBytes: 1_048_576, metadataPercent: 96.5 },
    ]);
  });

  it('notes a btrfs report it could not read, and judges the rest', async () => {
    const check = createDiskSpaceCheck({
      linux: async () => ({ volumes: [volume], skipped: [] }),
    });
    const missing: CommandRunner = (command, args, options) =>
      runCommand(
        command === 'btrfs' ? join(dir, 'no-such-btrfs') : command,
        args,
        options,
      );

    const result = await check.run(context(missing));

    expect(result.verdict).toBe('info');
    expect(result.findings).toMatchObject([
      { code: 'agent.probe-failed', severity: 'info', subject: 'btrfs /srv' },
    ]);
    for (const f of result.findings) findingSchema.parse(f);
  });
});

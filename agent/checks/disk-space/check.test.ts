import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  diskSpaceDataSchema,
  findingSchema,
} from '../../../core/index.js';
import { createLogger } from '../../logger.js';
import { type CommandRunner, runCommand } from '../../platform/command.js';
import { readCase, withoutNotes } from '../../test-support/cases.js';
import type { CheckContext } from '../types.js';
import { createDiskSpaceCheck, diskSpaceCheck } from './check.js';

function context(overrides: Partial<CheckContext> = {}) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'DEBUG',
    write: (line) => lines.push(JSON.parse(line)),
  });
  const ctx: CheckContext = {
    now: () => new Date(),
    policy: DEFAULT_POLICY,
    platform: 'linux',
    run: runCommand,
    logger,
    trigger: 'on-demand',
    ...overrides,
  };
  return { ctx, lines };
}

describe('diskSpaceCheck', () => {
  it('judges the volumes of this Linux machine', async () => {
    const { ctx } = context();

    const result = await diskSpaceCheck.run(ctx);

    const data = diskSpaceDataSchema.parse(result.data);
    expect(data.volumes.map((v) => v.id)).toContain('/');
    expect(data.policy).toEqual({
      floorBytes: 200 * 1024 ** 2,
      minFreePercent: 10,
    });
    expect(['ok', 'warning', 'critical']).toContain(result.verdict);
  });

  it('logs what it monitored and what it skipped', async () => {
    const { ctx, lines } = context();

    await diskSpaceCheck.run(ctx);

    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'DEBUG',
        message: 'disk-space volumes probed',
        monitored: expect.arrayContaining(['/']),
      }),
    );
  });

  it('judges Windows through PowerShell output', async () => {
    const stdout = withoutNotes(
      readCase('disk-win32-volume-recovery-efi.cim-json.txt'),
    );
    const run: CommandRunner = async (command, args) => ({
      command,
      args,
      exitCode: 0,
      stdout,
      stderr: '',
      timedOut: false,
    });
    const { ctx } = context({ platform: 'win32', run });

    const result = await diskSpaceCheck.run(ctx);

    expect(result.verdict).toBe('ok');
    expect(diskSpaceDataSchema.parse(result.data).volumes).toHaveLength(3);
  });

  it('says unknown with agent.probe-failed on an OS without a probe', async () => {
    const { ctx } = context({ platform: 'darwin' });

    const result = await diskSpaceCheck.run(ctx);

    expect(result.verdict).toBe('unknown');
    expect(result.findings).toEqual([
      {
        code: 'agent.probe-failed',
        severity: 'warning',
        subject: 'disk-space',
        title: 'no disk-space probe for this OS',
        detail: { platform: 'darwin' },
      },
    ]);
    expect(result.data).toMatchObject({ volumes: [] });
  });

  it('turns a probe that throws into an unknown verdict', async () => {
    const check = createDiskSpaceCheck({
      linux: async () => {
        throw new Error('EIO reading the mount table');
      },
    });
    const { ctx } = context();

    const result = await check.run(ctx);

    expect(result.verdict).toBe('unknown');
    expect(findingSchema.parse(result.findings[0])).toMatchObject({
      code: 'agent.probe-failed',
      detail: { error: 'EIO reading the mount table' },
    });
  });
});

import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, findingSchema } from '../../../core/index.js';
import { silentLogger } from '../../logger.js';
import {
  type CommandResult,
  type CommandRunner,
  runCommand,
} from '../../platform/command.js';
import { readCase } from '../../test-support/cases.js';
import type { CheckContext } from '../types.js';
import { createSmartCheck } from './probe.js';

const dir = mkdtempSync(join(tmpdir(), 'upkeep-smart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function context(run: CommandRunner = runCommand): CheckContext {
  return {
    now: () => new Date(),
    policy: DEFAULT_POLICY,
    platform: 'linux',
    run,
    logger: silentLogger,
    trigger: 'on-demand',
  };
}

describe('createSmartCheck with real processes', () => {
  it('reports a drive smartctl cannot open as unknown', async () => {
    const check = createSmartCheck({ devices: ['/dev/upkeep-no-such-disk'] });

    const result = await check.run(context());

    expect(result.verdict).toBe('unknown');
    expect(result.findings[0]?.code).toBe('smart.device-unreachable');
    for (const f of result.findings) findingSchema.parse(f);
  });

  it('reports a missing smartctl as a finding, not a crash', async () => {
    const check = createSmartCheck({ binary: 'upkeep-no-such-smartctl' });

    const result = await check.run(context());

    expect(result).toMatchObject({
      verdict: 'unknown',
      findings: [{ code: 'smart.smartctl-missing', severity: 'info' }],
    });
  });

  it('ends a hanging smartctl at its time limit', async () => {
    const slow = join(dir, 'slow-smartctl');
    writeFileSync(slow, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(slow, 0o755);
    const check = createSmartCheck({ binary: slow, timeoutMs: 300 });
    const started = Date.now();

    const result = await check.run(context());

    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.findings).toMatchObject([{ code: 'agent.probe-timeout' }]);
    expect(result.verdict).toBe('unknown');
  });
});

/**
 * smartctl's answers for a drive behind a USB bridge cannot be produced
 * here; they are replayed from recorded output. The auto-detect answer is
 * the recorded failing drive's document with the message smartctl prints
 * for an unknown bridge (smart-usb-unknown-bridge.txt) and no data.
 */
function bridgeRunner(calls: string[][]): CommandRunner {
  const failing = readCase('smart-ata-usb-jmicron-reallocated-failing.json');
  const refused = JSON.stringify({
    json_format_version: [1, 0],
    smartctl: {
      exit_status: 1,
      messages: [
        {
          string: '/dev/sdb: Unknown USB bridge [0x0bda:0x9201 (0xf200)]',
          severity: 'error',
        },
        {
          string: 'Please specify device type with the -d option.',
          severity: 'error',
        },
      ],
    },
  });
  const scan = JSON.stringify({
    json_format_version: [1, 0],
    smartctl: { exit_status: 0 },
    devices: [{ name: '/dev/sdb', type: 'scsi', protocol: 'SCSI' }],
  });

  return async (command, args) => {
    calls.push([...args]);
    const stdout = args.includes('--scan-open')
      ? scan
      : args.includes('sntjmicron')
        ? failing
        : refused;
    const result: CommandResult = {
      command,
      args,
      exitCode: stdout === refused ? 1 : 0,
      stdout,
      stderr: '',
      timedOut: false,
    };
    return result;
  };
}

describe('createSmartCheck behind USB bridges', () => {
  it('retries the device types in order until one reaches the drive', async () => {
    const calls: string[][] = [];
    const check = createSmartCheck({
      bridgeTypes: ['sat', 'sntasmedia', 'sntjmicron', 'sntrealtek'],
    });

    const result = await check.run(context(bridgeRunner(calls)));

    expect(calls.map((a) => a[a.indexOf('-d') + 1] ?? '')).toEqual([
      '--scan-open',
      'scsi',
      'sat',
      'sntasmedia',
      'sntjmicron',
    ]);
    expect(result.verdict).toBe('critical');
    expect(result.findings.map((f) => f.code)).toContain(
      'smart.usb-bridge-unrecognized',
    );
    expect(result.data).toMatchObject({
      drives: [{ name: '/dev/sdb', counters: { 'ata.5': 1975, 'ata.197': 8 } }],
    });
  });

  it('judges growth against the baseline the agent stored', async () => {
    const check = createSmartCheck({
      baselineFor: () => ({ counters: { 'ata.197': 2 } }),
    });

    const result = await check.run(context(bridgeRunner([])));

    const pending = result.findings.find(
      (f) => f.code === 'smart.pending-sectors',
    );
    expect(pending).toMatchObject({
      severity: 'critical',
      detail: { delta: 6 },
    });
  });
});

describe('createSmartCheck on a Linux disk smartctl does not list', () => {
  /**
   * smartctl 7.3 on a virtio disk, captured on the development VM:
   * `--scan-open` lists nothing and `-a /dev/vda` answers this (exit 1).
   */
  const unsupported = JSON.stringify({
    json_format_version: [1, 0],
    smartctl: {
      version: [7, 3],
      argv: ['smartctl', '--json', '-a', '/dev/vda'],
      messages: [
        { string: '/dev/vda: Unable to detect device type', severity: 'error' },
      ],
      exit_status: 1,
    },
  });

  it('reads the disks under /sys/block and reports each it cannot reach', async () => {
    const sys = join(dir, 'sys-block');
    mkdirSync(sys);
    symlinkSync(
      '../devices/pci0000:00/0000:00:02.0/virtio1/block/vda',
      join(sys, 'vda'),
    );
    symlinkSync('../devices/virtual/block/loop0', join(sys, 'loop0'));
    const smartctl = join(dir, 'smartctl-virtio');
    writeFileSync(join(dir, 'unsupported.json'), unsupported);
    writeFileSync(
      smartctl,
      '#!/bin/sh\ncase "$1" in --scan-open) echo \'{"smartctl":{"exit_status":0}}\';;\n' +
        `*) cat '${join(dir, 'unsupported.json')}'; exit 1;;\nesac\n`,
    );
    chmodSync(smartctl, 0o755);
    const check = createSmartCheck({ binary: smartctl, sysBlockRoot: sys });

    const result = await check.run(context());

    expect(result.verdict).toBe('unknown');
    expect(result.findings).toMatchObject([
      { code: 'smart.device-unreachable', subject: '/dev/vda' },
    ]);
    expect(result.data).toEqual({
      drives: [
        {
          name: '/dev/vda',
          drive: '/dev/vda',
          protocol: 'unknown',
          verdict: 'unknown',
          counters: {},
          messages: ['/dev/vda: Unable to detect device type'],
        },
      ],
    });
  });
});

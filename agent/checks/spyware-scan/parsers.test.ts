import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../platform/command.js';
import {
  clamErrors,
  clamOutcome,
  clamscanArgs,
  parseClamSummary,
  parseFoundLines,
} from './clamav.js';
import { parseDefender } from './defender.js';
import { linuxPower, parsePmset, parseWindowsPower } from './power.js';
import { scanTypeFor } from './schedule.js';

const fixture = (name: string) =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

function clamResult(
  name: string,
  exitCode: number,
  stderr = '',
): CommandResult {
  return {
    command: 'clamscan',
    args: ['--recursive', '--infected', 'scan'],
    exitCode,
    stdout: fixture(name),
    stderr,
    timedOut: false,
  };
}

describe('clamscan output', () => {
  it('reads FOUND lines, paths with ": " included', () => {
    expect(parseFoundLines(fixture('clamscan-found-exit1.stdout.txt'))).toEqual(
      [
        { name: 'Upkeep.Test.Sample-1.UNOFFICIAL', path: 'scan/sample.bin' },
        {
          name: 'Upkeep.Test.Colon-1.UNOFFICIAL',
          path: 'scan/sub/with: colon.dat',
        },
      ],
    );
  });

  it('reads the summary counts', () => {
    expect(
      parseClamSummary(fixture('clamscan-found-exit1.stdout.txt')),
    ).toEqual({
      knownViruses: 2,
      engineVersion: '1.4.6',
      scannedFiles: 3,
      infectedFiles: 2,
      seconds: 0.008,
    });
    expect(parseClamSummary('no summary here')).toBeUndefined();
  });

  it('reads exit 1 as a completed scan with threats', () => {
    const outcome = clamOutcome(
      clamResult('clamscan-found-exit1.stdout.txt', 1),
      'quick',
      20,
    );

    expect(outcome).toMatchObject({
      product: 'clamav',
      completed: true,
      threatCount: 2,
      scannedFiles: 3,
      exitCode: 1,
    });
  });

  it('reads exit 2 without a database as an incomplete scan', () => {
    const stderr = fixture('clamscan-no-database-exit2.stderr.txt');
    const outcome = clamOutcome(
      clamResult('clamscan-no-database-exit2.stdout.txt', 2, stderr),
      'quick',
      5,
    );

    expect(outcome?.completed).toBe(false);
    expect(outcome?.scannedFiles).toBe(0);
    expect(outcome?.errors).toEqual([
      'LibClamAV Error: cli_loaddbdir: No supported database files found in ' +
        '/var/lib/clamav',
      "ERROR: Can't open file or directory",
    ]);
  });

  it('keeps the warning of a missing target', () => {
    expect(
      clamErrors(fixture('clamscan-missing-path-exit1.stderr.txt')),
    ).toEqual(["WARNING: /nonexistent-path: Can't access file"]);
  });

  it('rejects output without a summary unless clamscan failed', () => {
    const odd: CommandResult = {
      ...clamResult('clamscan-clean-exit0.stdout.txt', 0),
      stdout: 'Segmentation fault',
    };
    expect(clamOutcome(odd, 'quick', 1)).toBeUndefined();
  });

  it('excludes pseudo file systems from a full scan only', () => {
    expect(clamscanArgs('quick', ['/tmp'])).toEqual([
      '--recursive',
      '--infected',
      '/tmp',
    ]);
    expect(clamscanArgs('full', ['/'])).toContain('--exclude-dir=^/proc/');
  });
});

describe('Defender scan JSON', () => {
  it('reads threats and whether Defender remediated them', () => {
    const outcome = parseDefender(
      fixture('defender-quick-two-threats.json'),
      'quick',
      1000,
      0,
    );

    expect(outcome).toMatchObject({
      product: 'defender',
      completed: true,
      threatCount: 2,
      command: 'Start-MpScan -ScanType QuickScan',
    });
    expect(outcome?.threats).toEqual([
      {
        name: 'Virus:DOS/EICAR_Test_File',
        path: 'file:_C:\\Users\\ann\\Downloads\\eicar.com.txt',
        remediated: true,
      },
      {
        name: 'PUA:Win32/Presenoker',
        path: 'file:_C:\\Users\\ann\\AppData\\Local\\Temp\\setup_tool.exe',
        remediated: false,
      },
    ]);
  });

  it('keeps the error of a scan that failed to start', () => {
    const outcome = parseDefender(
      fixture('defender-scan-error.json'),
      'quick',
      9,
      0,
    );

    expect(outcome?.completed).toBe(false);
    expect(outcome?.errors[0]).toContain('0x800106ba');
  });

  it('rejects text that is not the script JSON', () => {
    expect(
      parseDefender('Start-MpScan : access denied', 'quick', 1, 1),
    ).toBeUndefined();
    expect(parseDefender('{"Threats":[]}', 'quick', 1, 0)).toBeUndefined();
  });
});

describe('scan type from the weekday in the client zone', () => {
  it('is full on a Saturday and quick on a Monday', () => {
    expect(scanTypeFor(new Date('2025-03-08T12:00:00Z'), 'UTC')).toEqual({
      scanType: 'full',
      weekday: 'Sat',
      timeZone: 'UTC',
    });
    expect(scanTypeFor(new Date('2025-03-10T12:00:00Z'), 'UTC').scanType).toBe(
      'quick',
    );
  });

  it("uses the client's date, not the server's, near midnight", () => {
    // Friday 20:00 UTC is already Saturday morning in Tokyo.
    const now = new Date('2025-03-07T20:00:00Z');

    expect(scanTypeFor(now, 'UTC').scanType).toBe('quick');
    expect(scanTypeFor(now, 'Asia/Tokyo')).toMatchObject({
      scanType: 'full',
      weekday: 'Sat',
    });
  });

  it('runs the scan the cycle asks for, whatever the day', () => {
    // A laptop asleep all weekend catches the Saturday full scan up on a
    // Monday: it must still be a full scan.
    const monday = new Date('2025-03-10T09:00:00Z');
    const full = 'spyware-full@2025-03-08T10:00:00.000Z';
    const quick = 'spyware-quick@2025-03-08T13:00:00.000Z';

    expect(scanTypeFor(monday, 'UTC', full).scanType).toBe('full');
    expect(
      scanTypeFor(new Date('2025-03-08T12:00:00Z'), 'UTC', quick),
    ).toMatchObject({ scanType: 'quick' });
    expect(
      scanTypeFor(monday, 'UTC', 'maintenance@2025-03-10T12:00:00.000Z'),
    ).toMatchObject({ scanType: 'quick' });
  });

  it('falls back to UTC for a zone it does not know', () => {
    expect(
      scanTypeFor(new Date('2025-03-08T12:00:00Z'), 'Mars/Olympus'),
    ).toEqual({ scanType: 'full', weekday: 'Sat', timeZone: 'UTC' });
  });
});

describe('power state', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function sysfs(supplies: Record<string, Record<string, string>>) {
    root = await mkdtemp(join(tmpdir(), 'upkeep-power-'));
    for (const [name, files] of Object.entries(supplies)) {
      await mkdir(join(root, name));
      for (const [file, text] of Object.entries(files)) {
        await writeFile(join(root, name, file), `${text}\n`);
      }
    }
    return root;
  }

  it('reads a laptop unplugged as on battery', async () => {
    const dir = await sysfs({
      AC: { type: 'Mains', online: '0' },
      BAT0: { type: 'Battery', status: 'Discharging' },
    });

    expect(await linuxPower(dir)).toEqual({
      hasBattery: true,
      onBattery: true,
      source: 'sysfs',
    });
  });

  it('reads mains online as mains, whatever the battery says', async () => {
    const dir = await sysfs({
      AC: { type: 'Mains', online: '1' },
      BAT0: { type: 'Battery', status: 'Discharging' },
    });

    expect((await linuxPower(dir)).onBattery).toBe(false);
  });

  it('reads a machine without a battery as never on battery', async () => {
    const dir = await sysfs({});

    expect(await linuxPower(dir)).toEqual({
      hasBattery: false,
      onBattery: false,
      source: 'sysfs',
    });
  });

  it('reads Win32_Battery status codes and pmset text', () => {
    expect(parseWindowsPower('[1]')?.onBattery).toBe(true);
    expect(parseWindowsPower('2')?.onBattery).toBe(false);
    expect(parseWindowsPower('')).toEqual({
      hasBattery: false,
      onBattery: false,
      source: 'Win32_Battery',
    });
    expect(
      parseWindowsPower('Get-CimInstance : Invalid class'),
    ).toBeUndefined();
    expect(
      parsePmset(
        "Now drawing from 'Battery Power'\n -InternalBattery-0 (id=4653155)\t" +
          '82%; discharging; 3:41 remaining present: true\n',
      ),
    ).toEqual({ hasBattery: true, onBattery: true, source: 'pmset' });
  });
});

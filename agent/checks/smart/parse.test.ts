import { describe, expect, it } from 'vitest';
import { readCase } from '../../test-support/cases.js';
import { decodeExitStatus } from './exit-status.js';
import { rawCount } from './json-fields.js';
import { parseSmartctlJson } from './parse-json.js';
import { parseSmartctlText } from './parse-text.js';
import { ataAttributeRow, looseInt } from './text-rows.js';

describe('parseSmartctlJson', () => {
  it('reads a USB-bridged ATA drive with its logs', () => {
    const result = parseSmartctlJson(
      readCase('smart-ata-usb-jmicron-reallocated-failing.json'),
    );

    expect(result.ok).toBe(true);
    const device = result.ok ? result.devices[0] : undefined;
    expect(device?.type).toBe('usbjmicron');
    expect(device?.exitStatus).toBe(216);
    expect(device?.selfTests.map((t) => t.lifetimeHours)).toEqual([
      42, 18, 4, 65530, 65506, 65482,
    ]);
    expect(device?.errorLogCount).toBe(56);
  });

  it('returns a typed failure for text that is not JSON', () => {
    expect(parseSmartctlJson('{"smartctl": {"exit_status"')).toEqual({
      ok: false,
      reason: 'not JSON',
    });
  });

  it('rejects JSON that is not smartctl output', () => {
    const result = parseSmartctlJson('{"AMRunningMode": "Normal"}');

    expect(result).toEqual({
      ok: false,
      reason: 'JSON is not smartctl output',
    });
  });

  it('reads an array and compact per-line documents alike', () => {
    const one = JSON.stringify(
      JSON.parse(readCase('smart-nvme-media-errors.json')),
    );

    const array = parseSmartctlJson(`[${one},${one}]`);
    const lines = parseSmartctlJson(`${one}\n${one}\n`);

    expect(array.ok && array.devices.length).toBe(2);
    expect(lines.ok && lines.devices.length).toBe(2);
  });
});

describe('parseSmartctlText', () => {
  it('takes NVMe from the content, not from a /dev/sda style name', () => {
    const [run] = parseSmartctlText(readCase('smart-nvme-windows-healthy.txt'));

    expect(run?.device.protocol).toBe('NVMe');
    expect(run?.device.nvme).toMatchObject({
      criticalWarning: 0,
      percentageUsed: 13,
      warningTemp: 82,
      mediaErrors: 0,
    });
    expect(run?.device.powerOnHours).toBe(3441);
    expect(run?.device.selfTestInProgress).toBe(true);
  });

  it('splits an auto-detect run and a -d sat retry into two attempts', () => {
    const runs = parseSmartctlText(readCase('smart-usb-unknown-bridge.txt'));

    expect(runs.map((r) => r.deviceType)).toEqual([undefined, 'sat']);
    expect(runs[0]?.device.messages[0]).toContain('Unknown USB bridge');
    expect(runs[1]?.device.model).toBe('SSD 512GB');
    expect(runs[1]?.device.smartEnabled).toBe(true);
  });

  it('reads the attribute table of a text excerpt', () => {
    const [run] = parseSmartctlText(
      readCase('smart-ssd-samsung850-wearout.txt'),
    );

    expect(run?.device.attributes.find((a) => a.id === 177)).toMatchObject({
      value: 1,
      thresh: 0,
      count: 2981,
    });
  });

  it('reads brief-format rows and the WHEN_FAILED column', () => {
    const row = ataAttributeRow(
      '  5 Reallocated_Sector_Ct   PO--CK   001   001   005    NOW  1975',
    );

    expect(row).toMatchObject({
      id: 5,
      value: 1,
      thresh: 5,
      whenFailed: 'now',
      prefailure: true,
      count: 1975,
    });
  });

  it('returns no attempt for text without smartctl content', () => {
    expect(parseSmartctlText('hello\nworld\n')).toEqual([]);
  });
});

describe('number and raw value reading', () => {
  it('reads locale separators and hex', () => {
    expect(looseInt('512.110.190.592 bytes [512 GB]')).toBe(512110190592);
    expect(looseInt('3,441')).toBe(3441);
    expect(looseInt('0x10')).toBe(16);
    expect(looseInt('n/a')).toBeUndefined();
  });

  it('does not read vendor-packed raw values as counts', () => {
    expect(rawCount(4295032833, '4295032833')).toBeUndefined();
    expect(rawCount(0, '0 0 0')).toBeUndefined();
    expect(rawCount(17192124596, '180 (Average 187)')).toBe(180);
    expect(rawCount(8, '8')).toBe(8);
  });
});

describe('decodeExitStatus', () => {
  it('reads 216 as failing with logs, not as a crash', () => {
    expect(decodeExitStatus(216)).toEqual({
      commandLine: false,
      openFailed: false,
      commandFailed: false,
      diskFailing: true,
      prefailNow: true,
      thresholdPast: false,
      errorLog: true,
      selfTestErrors: true,
    });
  });

  it('reads 4 as partial data only', () => {
    const bits = decodeExitStatus(4);

    expect(Object.entries(bits).filter(([, on]) => on)).toEqual([
      ['commandFailed', true],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { readCase } from '../../test-support/cases.js';
import { smartCounters } from './counters.js';
import { judgeSmartAttempts, judgeSmartDevice } from './judge.js';
import { CRITICAL_WARNING_BITS } from './judge-nvme.js';
import { deviceFromJson } from './parse-json.js';
import { parseSmartctlText } from './parse-text.js';
import type { SmartDevice } from './types.js';

// biome-ignore lint/suspicious/noExplicitAny: tests edit recorded documents freely
type Doc = Record<string, any>;

/** A recorded smartctl document, changed by `edit` (factories vary a base). */
function recorded(name: string, edit: (doc: Doc) => void = () => {}) {
  const doc = JSON.parse(readCase(name)) as Doc;
  edit(doc);
  return deviceFromJson(doc);
}

const codes = (
  device: SmartDevice,
  baseline?: Parameters<typeof judgeSmartDevice>[1],
) => judgeSmartDevice(device, baseline).findings.map((f) => f.code);

const attribute = (doc: Doc, id: number) =>
  doc.ata_smart_attributes.table.find((a: Doc) => a.id === id);

describe('judgeSmartDevice: exit status as a bit mask', () => {
  it('keeps the data of a 216 run and finds the drive failing', () => {
    const device = recorded('smart-ata-usb-jmicron-reallocated-failing.json');

    const judged = judgeSmartDevice(device);

    expect(judged.verdict).toBe('critical');
    expect(judged.findings[0]?.code).toBe('smart.drive-failing');
  });

  it('states the failing bit when the report lacks smart_status', () => {
    const device = recorded('smart-ata-udma-crc-cable.json', (doc) => {
      delete doc.smart_status;
      doc.smartctl.exit_status = 8 | 64;
    });

    expect(codes(device)).toEqual(
      expect.arrayContaining([
        'smart.drive-failing',
        'smart.error-log-entries',
      ]),
    );
  });

  it('judges the data it has when bit 2 says partial', () => {
    const device = recorded('smart-nvme-media-errors.json', (doc) => {
      doc.smartctl.exit_status = 4;
    });

    const judged = judgeSmartDevice(device);

    expect(judged.verdict).toBe('warning');
    expect(judged.findings.map((f) => f.code)).toContain('smart.partial-data');
  });

  it('is unknown, never ok, when the device could not be opened', () => {
    const device = recorded('smart-nvme-media-errors.json', (doc) => {
      doc.smartctl.exit_status = 2;
    });

    const judged = judgeSmartDevice(device);

    expect(judged.verdict).toBe('unknown');
    expect(judged.findings[0]?.code).toBe('smart.device-unreachable');
  });

  it('is unknown when smartctl returned no health data at all', () => {
    const judged = judgeSmartDevice({
      protocol: 'ATA',
      model: 'SSD 512GB',
      smartAvailable: true,
      attributes: [],
      selfTests: [],
      messages: [],
    });

    expect(judged).toMatchObject({
      verdict: 'unknown',
      findings: [{ code: 'smart.no-health-data', severity: 'info' }],
    });
  });
});

describe('judgeSmartDevice: NVMe critical warning bit by bit', () => {
  it.each(CRITICAL_WARNING_BITS)('reads bit %i as %s', (bit, code) => {
    const device = recorded('smart-nvme-media-errors.json', (doc) => {
      doc.nvme_smart_health_information_log.critical_warning = bit;
      doc.nvme_smart_health_information_log.media_errors = 0;
      doc.smart_status = { passed: false };
    });

    const judged = judgeSmartDevice(device);

    expect(judged.findings[0]?.code).toBe(code);
    expect(judged.findings.map((f) => f.code)).not.toContain(
      'smart.drive-failing',
    );
  });

  it('reports every set bit of a combined byte and the reserved bits', () => {
    const device = recorded(
      'smart-nvme-critical-warning-volatile-backup.json',
      (doc) => {
        doc.nvme_smart_health_information_log.critical_warning =
          0x04 | 0x08 | 0x80;
      },
    );

    expect(codes(device)).toEqual([
      'smart.nvme-reliability-degraded',
      'smart.nvme-read-only',
      'smart.nvme-warning-reserved-bit',
    ]);
  });

  it('finds spare below threshold even without the warning bit', () => {
    const device = recorded('smart-nvme-media-errors.json', (doc) => {
      doc.nvme_smart_health_information_log.available_spare = 8;
      doc.nvme_smart_health_information_log.media_errors = 0;
    });

    expect(codes(device)[0]).toBe('smart.nvme-spare-below-threshold');
  });

  it('reads percentage used above 100 as worn out', () => {
    const device = recorded('smart-nvme-media-errors.json', (doc) => {
      doc.nvme_smart_health_information_log.percentage_used = 128;
    });

    const [first] = judgeSmartDevice(device).findings;

    expect(first).toMatchObject({
      code: 'smart.ssd-worn-out',
      severity: 'critical',
    });
    expect(first?.title).toContain('128%');
  });
});

describe('judgeSmartDevice: counters against the stored baseline', () => {
  it('calls stable media errors history and growth critical', () => {
    const device = recorded('smart-nvme-media-errors.json');

    const stable = judgeSmartDevice(device, {
      counters: { 'nvme.media_errors': 7 },
    });
    const grown = judgeSmartDevice(device, {
      counters: { 'nvme.media_errors': 3 },
    });

    expect(stable.verdict).toBe('info');
    expect(grown.verdict).toBe('critical');
    expect(grown.findings[0]?.detail).toMatchObject({ delta: 4 });
  });

  it('never blames the disk for CRC errors, however they grow', () => {
    const device = recorded('smart-ata-udma-crc-cable.json');

    const grown = judgeSmartDevice(device, { counters: { 'ata.199': 10 } });
    const stable = judgeSmartDevice(device, smartCounters(device));

    expect(grown.findings).toMatchObject([
      {
        code: 'smart.crc-errors',
        severity: 'warning',
        subject: expect.stringContaining('SATA link'),
      },
    ]);
    expect(stable.verdict).toBe('info');
  });

  it('turns growing reallocated sectors critical on an otherwise fine drive', () => {
    const device = recorded('smart-ata-udma-crc-cable.json', (doc) => {
      attribute(doc, 5).raw = { value: 24, string: '24' };
      attribute(doc, 199).raw = { value: 0, string: '0' };
    });

    const judged = judgeSmartDevice(device, { counters: { 'ata.5': 16 } });

    expect(judged.findings).toMatchObject([
      { code: 'smart.reallocated-sectors', severity: 'critical' },
    ]);
  });

  it('ignores a vendor-packed command timeout raw value', () => {
    const device = recorded('smart-ata-udma-crc-cable.json', (doc) => {
      attribute(doc, 199).raw = { value: 0, string: '0' };
      doc.ata_smart_attributes.table.push({
        id: 188,
        name: 'Command_Timeout',
        value: 100,
        worst: 99,
        thresh: 0,
        when_failed: '',
        flags: { prefailure: false },
        raw: { value: 4295032833, string: '4295032833' },
      });
    });

    expect(judgeSmartDevice(device)).toEqual({ verdict: 'ok', findings: [] });
  });
});

describe('judgeSmartDevice: attributes, wear and self-tests', () => {
  it('reads an old-age attribute at threshold as a warning', () => {
    const device = recorded('smart-ata-udma-crc-cable.json', (doc) => {
      attribute(doc, 199).raw = { value: 0, string: '0' };
      Object.assign(attribute(doc, 200), { value: 1, thresh: 1 });
    });

    expect(judgeSmartDevice(device).findings).toMatchObject([
      { code: 'smart.attribute-below-threshold', severity: 'warning' },
    ]);
  });

  it.each([
    ['Media_Wearout_Indicator', 8, 'smart.ssd-worn-out'],
    ['SSD_Life_Left', 25, 'smart.ssd-wear-high'],
    ['Percent_Lifetime_Remain', 90, undefined],
  ])('reads %s at %i from the normalized value', (name, value, code) => {
    const device = recorded('smart-ata-udma-crc-cable.json', (doc) => {
      attribute(doc, 199).raw = { value: 0, string: '0' };
      doc.ata_smart_attributes.table.push({
        id: 233,
        name,
        value,
        worst: value,
        thresh: 0,
        when_failed: '',
        raw: { value: 4000, string: '4000' },
      });
    });

    expect(codes(device)[0]).toBe(code);
  });

  it('finds a failed self-test hidden under newer passes and wrapped hours', () => {
    const device = recorded('smart-ata-usb-jmicron-reallocated-failing.json');

    const failed = judgeSmartDevice(device).findings.find(
      (f) => f.code === 'smart.self-test-failed',
    );

    expect(failed).toMatchObject({
      severity: 'critical',
      detail: { logEntry: 3, ageHours: 52, lba: 104870168 },
    });
  });

  it('lowers an old failure that a later extended test cleared', () => {
    const device = recorded(
      'smart-ata-usb-jmicron-reallocated-failing.json',
      (doc) => {
        doc.ata_smart_self_test_log.standard.table[0].type.string =
          'Extended offline';
      },
    );

    const failed = judgeSmartDevice(device).findings.find(
      (f) => f.code === 'smart.self-test-failed',
    );

    expect(failed?.severity).toBe('warning');
  });

  it('does not count running or aborted self-tests as failures', () => {
    const [run] = parseSmartctlText(readCase('smart-nvme-windows-healthy.txt'));

    expect(judgeSmartAttempts(run ? [run] : [])).toEqual({
      verdict: 'ok',
      findings: [],
    });
  });
});

describe('judgeSmartAttempts: USB bridges', () => {
  it('is unknown with the bridge finding when every type failed', () => {
    const [auto] = parseSmartctlText(readCase('smart-usb-unknown-bridge.txt'));

    const judged = judgeSmartAttempts(auto ? [auto] : []);

    expect(judged.verdict).toBe('unknown');
    expect(judged.findings).toMatchObject([
      {
        code: 'smart.usb-bridge-unrecognized',
        title: 'SMART not reachable through the USB bridge',
        detail: { bridge: '0x0bda:0x9201' },
      },
    ]);
  });

  it('judges the retry that reached the drive, naming the type that worked', () => {
    const healthy = readCase('smart-nvme-windows-healthy.txt');
    const text = [
      '# smartctl -a /dev/sdb',
      '/dev/sdb: Unknown USB bridge [0x152d:0x0583 (0x214)]',
      '',
      '# smartctl -a -d sntjmicron /dev/sdb',
      healthy,
    ].join('\n');

    const judged = judgeSmartAttempts(parseSmartctlText(text));

    expect(judged.verdict).toBe('ok');
    expect(judged.findings[0]?.detail).toEqual({
      bridge: '0x152d:0x0583',
      reachedWith: 'sntjmicron',
    });
  });

  it('never names a drive by its WWN', () => {
    const judged = judgeSmartAttempts(
      parseSmartctlText(readCase('smart-usb-unknown-bridge.txt')),
    );

    for (const f of judged.findings) expect(f.subject).not.toContain('000000');
  });
});

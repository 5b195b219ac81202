import { describe, expect, it } from 'vitest';
import { readCase } from '../test-support/cases.js';
import { diagnose } from './diagnose.js';

const now = new Date('2024-06-05T00:00:00Z');

const stepsOf = (file: string, code: string, counters?: object) => {
  const baseline = counters
    ? { counters: counters as Record<string, number> }
    : undefined;
  const result = diagnose(readCase(file), 'smart', { now, baseline });
  return result.remedies
    .filter((p) => p.code === code)
    .flatMap((p) => p.steps.map((s) => s.remedy));
};

describe('diagnose: SMART chains fitted to the drive', () => {
  const failing = 'smart-ata-usb-jmicron-reallocated-failing.json';

  it('offers no surface scan on the failing USB drive, backup first', () => {
    for (const code of ['smart.reallocated-sectors', 'smart.pending-sectors']) {
      const steps = stepsOf(failing, code);

      expect(steps[0]).toBe('backup-now');
      expect(steps).not.toContain('run-extended-self-test');
    }
  });

  it('keeps a stable NVMe media-error count away from replacement', () => {
    const steps = stepsOf(
      'smart-nvme-media-errors.json',
      'smart.nvme-media-errors',
      {
        'nvme.media_errors': 7,
      },
    );

    expect(steps).toEqual([
      'verify-backup',
      'run-extended-self-test',
      'store-smart-baseline',
    ]);
  });

  it('escalates to replacement when the count grew since the baseline', () => {
    const steps = stepsOf(
      'smart-nvme-media-errors.json',
      'smart.nvme-media-errors',
      {
        'nvme.media_errors': 3,
      },
    );

    expect(steps).toEqual([
      'backup-now',
      'store-smart-baseline',
      'replace-disk-ticket',
    ]);
  });

  it('keeps the type the USB bridge was reached with out of the retry', () => {
    const result = diagnose(readCase('smart-usb-unknown-bridge.txt'), 'smart', {
      now,
    });
    const retry = result.remedies
      .find((p) => p.code === 'smart.usb-bridge-unrecognized')
      ?.steps.find((s) => s.remedy === 'retry-smart-device-type');

    expect(retry?.params.types).toEqual([
      'sntasmedia',
      'sntjmicron',
      'sntrealtek',
    ]);
  });
});

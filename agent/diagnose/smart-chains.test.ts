import { describe, expect, it } from 'vitest';
import { catalogueEntry, DEFAULT_POLICY } from '../../core/index.js';
import type { RemediationPolicy } from '../../core/policy.js';
import { decideRemedy } from '../../core/scoring/decide.js';
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

describe("the cloud's remedy decision on the same drive", () => {
  // Oracle (INDEX.md): back up now, replace the disk, no surface scans
  // before the backup. The cloud decides from the stored findings of the
  // check; it must not send the self-test diagnose leaves out.
  it('sends no surface scan for the failing USB drive', () => {
    const { findings } = diagnose(
      readCase('smart-ata-usb-jmicron-reallocated-failing.json'),
      'smart',
      { now },
    );
    const decide = (code: string, related: typeof findings) => {
      const finding = findings.find((f) => f.code === code);
      if (!finding) throw new Error(`the case has no ${code}`);
      return decideRemedy({
        finding,
        related: related.filter((f) => f !== finding),
        entry: catalogueEntry(code),
        remediation: DEFAULT_POLICY.remediation as RemediationPolicy,
        device: { platform: 'linux', securityProducts: [] },
      });
    };

    for (const code of ['smart.reallocated-sectors', 'smart.pending-sectors']) {
      expect(decide(code, findings)).toMatchObject({
        kind: 'job',
        remedy: 'store-smart-baseline',
      });
    }
    expect(decide('smart.pending-sectors', [])).toMatchObject({
      remedy: 'run-extended-self-test',
    });
  });
});

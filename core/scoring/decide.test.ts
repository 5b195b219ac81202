import { describe, expect, it } from 'vitest';
import { catalogueEntry } from '../catalogue/index.js';
import { DEFAULT_POLICY, type RemediationPolicy } from '../policy.js';
import { type DecisionInput, decideRemedy } from './decide.js';

const remediation = DEFAULT_POLICY.remediation as RemediationPolicy;

function input(
  code: string,
  overrides: Partial<DecisionInput> = {},
): DecisionInput {
  const entry = catalogueEntry(code);
  return {
    finding: { code, subject: 'C:', severity: entry?.severity ?? 'warning' },
    entry,
    remediation,
    device: { platform: 'win32', securityProducts: ['Windows Defender'] },
    ...overrides,
  };
}

describe('decideRemedy', () => {
  it('sends a cleanup aimed at the low volume', () => {
    const decision = decideRemedy(input('disk.low-percent'));

    expect(decision).toEqual({
      kind: 'job',
      product: 'any',
      step: 0,
      remedy: 'cleanup',
      params: { volume: 'C:' },
      attempt: 1,
    });
  });

  it("takes Defender's signature update when the device runs Defender", () => {
    const decision = decideRemedy(input('av.definitions-stale'));

    expect(decision).toMatchObject({
      kind: 'job',
      product: 'defender',
      remedy: 'update-av-signatures',
      params: { product: 'defender' },
    });
  });

  it("takes Sophos's chain when the client's policy selects Sophos", () => {
    const decision = decideRemedy(
      input('av.definitions-stale', {
        remediation: {
          ...remediation,
          products: { antivirus: 'sophos', patches: 'auto' },
        },
      }),
    );

    expect(decision).toMatchObject({
      kind: 'job',
      product: 'sophos',
      params: { product: 'sophos' },
    });
  });

  it('walks the DISM chain of 0x80073712 and escalates at its ticket', () => {
    const steps: string[] = [];
    let progress: DecisionInput['progress'];
    let decision = decideRemedy(input('wu.component-store-corrupt'));
    while (decision.kind === 'job') {
      steps.push(decision.remedy);
      progress = {
        product: decision.product,
        lastStep: decision.step,
        attempts: decision.attempt,
      };
      decision = decideRemedy(
        input('wu.component-store-corrupt', { progress }),
      );
    }

    expect(steps).toEqual([
      'dism-restore-health',
      'sfc-scannow',
      'retry-update',
      'dism-restore-health',
    ]);
    expect(decision).toMatchObject({
      kind: 'escalate',
      reason: 'human-step',
      humanStep: { remedy: 'repair-install-ticket' },
    });
  });

  it('escalates once maxAttempts jobs were sent', () => {
    const decision = decideRemedy(
      input('wu.component-store-corrupt', {
        remediation: { ...remediation, maxAttempts: 2 },
        progress: { product: 'windows-update', lastStep: 1, attempts: 2 },
      }),
    );

    expect(decision).toEqual({
      kind: 'escalate',
      reason: 'max-attempts',
      product: 'windows-update',
    });
  });

  it('skips steps the platform has no implementation of', () => {
    const decision = decideRemedy(
      input('wu.component-store-corrupt', {
        device: { platform: 'linux' },
        remediation: {
          ...remediation,
          products: { antivirus: 'auto', patches: 'windows-update' },
        },
      }),
    );

    expect(decision).toMatchObject({ kind: 'escalate', reason: 'human-step' });
  });

  it("escalates when no chain fits the client's products", () => {
    const decision = decideRemedy(
      input('wu.component-store-corrupt', { device: { platform: 'linux' } }),
    );

    expect(decision).toEqual({ kind: 'escalate', reason: 'no-remedy' });
  });

  it('finds the Windows Update chain before the first hello', () => {
    const decision = decideRemedy(
      input('wu.component-store-corrupt', { device: {} }),
    );

    expect(decision).toMatchObject({
      kind: 'job',
      product: 'windows-update',
      remedy: 'dism-restore-health',
    });
  });

  it('alerts instead of remedying in alert mode', () => {
    const decision = decideRemedy(
      input('disk.low-percent', {
        remediation: { ...remediation, mode: 'alert' },
      }),
    );

    expect(decision).toMatchObject({
      kind: 'escalate',
      reason: 'policy-alert',
    });
  });

  it('suppresses a code the policy lists', () => {
    const decision = decideRemedy(
      input('disk.low-percent', {
        remediation: { ...remediation, suppressCodes: ['disk.low-percent'] },
      }),
    );

    expect(decision).toEqual({ kind: 'suppress' });
  });

  it('escalates an unknown warning code rather than dropping it', () => {
    const decision = decideRemedy(input('vendor.something-new'));

    expect(decision).toEqual({ kind: 'escalate', reason: 'unknown-code' });
  });

  it('leaves an info finding without a chain alone', () => {
    const decision = decideRemedy(input('cleanup.update-in-flight'));

    expect(decision).toEqual({ kind: 'none' });
  });

  describe('SMART chains fitted to the drive', () => {
    const drive = '/dev/sda';
    const pending = (related: DecisionInput['related'] = []) =>
      decideRemedy(
        input('smart.pending-sectors', {
          finding: {
            code: 'smart.pending-sectors',
            subject: drive,
            severity: 'warning',
            detail: { trend: 'grown' },
          },
          device: { platform: 'linux', securityProducts: [] },
          related,
        }),
      );

    it('tests the surface of a drive that is otherwise healthy', () => {
      expect(pending()).toMatchObject({
        kind: 'job',
        remedy: 'run-extended-self-test',
      });
    });

    it('never scans the surface of a drive that is dying', () => {
      const failing = {
        code: 'smart.drive-failing',
        subject: drive,
        severity: 'critical' as const,
      };
      const other = { ...failing, subject: '/dev/sdb' };

      expect(pending([failing])).toMatchObject({
        kind: 'job',
        remedy: 'store-smart-baseline',
      });
      expect(pending([other])).toMatchObject({
        remedy: 'run-extended-self-test',
      });
    });
  });
});

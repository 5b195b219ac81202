import { describe, expect, it } from 'vitest';
import { CATALOGUE } from './catalogue/index.js';
import {
  checkRemedy,
  isHumanStep,
  isRemedyName,
  REMEDIES,
  remedyRunsOn,
} from './remedies.js';

describe('remedy allow-list', () => {
  it('lists every catalogue step that is not a ticket, with its params', () => {
    const unknown: string[] = [];
    for (const entry of CATALOGUE.values()) {
      for (const steps of Object.values(entry.remedies)) {
        for (const s of steps) {
          if (isHumanStep(s.remedy)) continue;
          const result = checkRemedy(s.remedy, s.params);
          if (!result.ok) unknown.push(`${entry.code}: ${result.reason}`);
        }
      }
    }

    expect(unknown).toEqual([]);
  });

  it('rejects a remedy outside the allow-list', () => {
    const result = checkRemedy('format-disk', {});

    expect(result).toMatchObject({ ok: false, code: 'unknown-remedy' });
  });

  it('rejects params the remedy schema does not know', () => {
    const result = checkRemedy('start-service', {
      service: 'wuauserv',
      command: 'rm -rf /',
    });

    expect(result).toMatchObject({ ok: false, code: 'bad-params' });
  });

  it('rejects a service name carrying arguments', () => {
    const result = checkRemedy('start-service', { service: 'a b' });

    expect(result.ok).toBe(false);
  });

  it('treats ticket steps as human work, never as remedies', () => {
    expect(isHumanStep('repair-install-ticket')).toBe(true);
    expect(isRemedyName('repair-install-ticket')).toBe(false);
  });

  it('knows which platforms implement a remedy', () => {
    expect(remedyRunsOn('dism-restore-health', 'win32')).toBe(true);
    expect(remedyRunsOn('dism-restore-health', 'linux')).toBe(false);
    expect(remedyRunsOn('cleanup', 'linux')).toBe(true);
    expect(remedyRunsOn('toString', 'linux')).toBe(false);
  });

  it('keeps every timeout within the IoT Jobs range of 1 to 10080 minutes', () => {
    for (const d of Object.values(REMEDIES)) {
      expect(d.timeoutMinutes).toBeGreaterThanOrEqual(1);
      expect(d.timeoutMinutes).toBeLessThanOrEqual(10080);
    }
  });
});

import type { Finding } from '../../../core/index.js';
import { findingFor } from '../../../core/judgement.js';
import type { SelfTestEntry, SmartDevice } from './types.js';

/** ATA self-test log hour stamps are 16 bits and wrap at 65536. */
const ATA_HOURS_WRAP = 65_536;

const NOT_A_FAILURE = /abort|interrupt|in progress|cancel/i;

export function isFailedTest(test: SelfTestEntry): boolean {
  if (NOT_A_FAILURE.test(test.status)) return false;
  if (test.passed === false) return true;
  return /fail|error/i.test(test.status) && !/without error/i.test(test.status);
}

function isPassedExtended(test: SelfTestEntry): boolean {
  const passed =
    test.passed === true || /completed without error/i.test(test.status);
  return passed && /extended|long/i.test(test.type);
}

/**
 * The self-test log is read in log order (newest first), never sorted by
 * hours: the stamps wrap, so a failure 52 hours ago can carry the stamp 4
 * while older passes read 65530. A failed test matters until a later
 * extended test passes; short tests read too little to clear it.
 */
export function judgeSelfTests(device: SmartDevice, drive: string): Finding[] {
  const index = device.selfTests.findIndex(isFailedTest);
  if (index < 0) return [];

  const failed = device.selfTests[index] as SelfTestEntry;
  const cleared = device.selfTests.slice(0, index).some(isPassedExtended);
  const ageHours = testAge(device, failed);

  return [
    findingFor('smart.self-test-failed', drive, {
      severity: cleared ? 'warning' : 'critical',
      title: `Drive self-test failed: ${failed.status}`,
      detail: {
        type: failed.type,
        status: failed.status,
        logEntry: index + 1,
        ...(failed.lba !== undefined ? { lba: failed.lba } : {}),
        ...(ageHours !== undefined ? { ageHours } : {}),
        clearedByLaterExtendedTest: cleared,
      },
    }),
  ];
}

function testAge(device: SmartDevice, test: SelfTestEntry) {
  const now = device.powerOnHours;
  const then = test.lifetimeHours;
  if (now === undefined || then === undefined) return undefined;

  if (device.protocol === 'ATA') {
    return (
      ((((now % ATA_HOURS_WRAP) - then) % ATA_HOURS_WRAP) + ATA_HOURS_WRAP) %
      ATA_HOURS_WRAP
    );
  }
  return now >= then ? now - then : undefined;
}

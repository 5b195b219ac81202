import { describe, expect, it } from 'vitest';
import { diskReport } from '../lambdas/test-support/messages.js';
import {
  acceptedOutcome,
  formatOutcome,
  rejectedOutcome,
} from './report-lines.js';

function envelopeBody(thing: string, channel: string, payload: string) {
  return JSON.stringify({
    topic: `upkeep/v1/devices/${thing}/${channel}`,
    clientId: thing,
    receivedAt: 1_767_225_600_000,
    payload: Buffer.from(payload).toString('base64'),
  });
}

describe('formatOutcome', () => {
  it.each([
    [
      {
        kind: 'report',
        thingName: 'lt-7',
        check: 'smart',
        verdict: 'warning',
        findings: 1,
      },
      'report    lt-7  smart  warning  1 finding',
    ],
    [
      { kind: 'hello', thingName: 'lt-7', agentVersion: '0.1.0' },
      'hello     lt-7  agent 0.1.0',
    ],
    [
      { kind: 'rejected', thingName: 'dev-a', reason: 'thing-mismatch' },
      'rejected  dev-a  thing-mismatch',
    ],
  ] as const)('prints %o as one line', (outcome, line) => {
    expect(formatOutcome(outcome)).toBe(line);
  });
});

describe('acceptedOutcome', () => {
  it('reads device, check, verdict and finding count of a report', () => {
    const report = diskReport('lt-7', { cFreeBytes: 1024 ** 3 });

    const outcome = acceptedOutcome(
      envelopeBody('lt-7', 'reports', JSON.stringify(report)),
    );

    expect(outcome).toEqual({
      kind: 'report',
      thingName: 'lt-7',
      check: 'disk-space',
      verdict: 'warning',
      findings: 1,
    });
  });

  it('gives nothing for a payload that is no report', () => {
    expect(acceptedOutcome(envelopeBody('lt-7', 'reports', '{'))).toBe(
      undefined,
    );
    expect(acceptedOutcome('not an envelope')).toBe(undefined);
  });
});

describe('rejectedOutcome', () => {
  it('names the topic thing, or a dash when the body has none', () => {
    expect(rejectedOutcome(envelopeBody('dev-a', 'reports', '{'), 'x')).toEqual(
      { kind: 'rejected', thingName: 'dev-a', reason: 'x' },
    );
    expect(rejectedOutcome('[]', 'envelope-invalid').thingName).toBe('-');
  });
});

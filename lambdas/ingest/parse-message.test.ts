import { describe, expect, it } from 'vitest';
import { diskReport, envelope, hello } from '../test-support/messages.js';
import { parseMessage } from './parse-message.js';
import { MessageRejectedError, type RejectionReason } from './rejection.js';

function rejectionOf(body: string) {
  try {
    parseMessage(body);
  } catch (error) {
    if (error instanceof MessageRejectedError) return error;
    throw error;
  }
  throw new Error('message was accepted');
}

describe('parseMessage', () => {
  it('accepts a report and a hello that speak for their own thing', () => {
    const report = diskReport('lap-1');

    const parsedReport = parseMessage(envelope('lap-1', 'reports', report));
    const parsedHello = parseMessage(
      envelope('lap-1', 'hello', hello('lap-1')),
    );

    expect(parsedReport).toEqual({
      kind: 'report',
      thingName: 'lap-1',
      clientId: 'lap-1',
      receivedAtMs: Date.parse('2026-12-04T09:00:03.100Z'),
      report,
    });
    expect(parsedHello.kind).toBe('hello');
  });

  const cases: [string, string, RejectionReason, RegExp][] = [
    ['a body that is not JSON', '{"topic":', 'malformed-envelope', /not JSON/],
    [
      'an envelope without a payload',
      JSON.stringify({ topic: 't', clientId: 'c', receivedAt: 1 }),
      'envelope-invalid',
      /payload/,
    ],
    [
      'a topic outside the device channels',
      JSON.stringify({
        topic: 'upkeep/v1/groups/g/cycles',
        clientId: 'c',
        receivedAt: 1,
        payload: '',
      }),
      'unknown-topic',
      /upkeep\/v1\/groups\/g\/cycles/,
    ],
    [
      'a payload that is not base64',
      JSON.stringify({
        topic: 'upkeep/v1/devices/lap-1/reports',
        clientId: 'lap-1',
        receivedAt: 1,
        payload: '{"v":1}',
      }),
      'bad-base64',
      /base64/,
    ],
    [
      'a payload that is not JSON',
      envelope('lap-1', 'reports', null, { raw: 'disk ok' }),
      'malformed-json',
      /not JSON/,
    ],
    [
      'a report with a finding code outside the pattern',
      envelope('lap-1', 'reports', {
        ...diskReport('lap-1'),
        findings: [
          { code: 'Disk Low', severity: 'warning', subject: 'C:', title: 't' },
        ],
      }),
      'schema-invalid',
      /^findings\.0\.code: /,
    ],
    [
      'a report for another device',
      envelope('lap-1', 'reports', diskReport('lap-2')),
      'thing-mismatch',
      /"lap-2" differs from topic thing "lap-1"/,
    ],
    [
      'a publish by another client',
      envelope('lap-1', 'hello', hello('lap-1'), { clientId: 'lap-2' }),
      'client-id-mismatch',
      /"lap-2"/,
    ],
  ];

  it.each(cases)('rejects %s', (_name, body, reason, detail) => {
    const rejection = rejectionOf(body);

    expect(rejection.code).toBe(reason);
    expect(rejection.message).toMatch(detail);
  });
});

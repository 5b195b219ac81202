import { describe, expect, it } from 'vitest';
import { TOPIC_RULES } from '../../core/index.js';
import { buildEnvelope, buildErrorMessage } from './envelope.js';

const message = {
  topic: 'upkeep/v1/devices/dev-a/reports',
  payload: Buffer.from('not json {'),
  clientId: 'dev-a',
  receivedAt: 1_767_225_600_000,
};

describe('buildEnvelope', () => {
  it('carries topic, client id, receive time and base64 payload', () => {
    const envelope = buildEnvelope(message);

    expect(envelope).toEqual({
      topic: 'upkeep/v1/devices/dev-a/reports',
      clientId: 'dev-a',
      receivedAt: 1_767_225_600_000,
      payload: 'bm90IGpzb24gew==',
    });
    expect(Buffer.from(envelope.payload, 'base64').toString()).toBe(
      'not json {',
    );
  });

  it('gives an empty client id to a message the broker made', () => {
    const envelope = buildEnvelope({ ...message, clientId: undefined });

    expect(envelope.clientId).toBe('');
  });
});

describe('buildErrorMessage', () => {
  it('names the rule, the queue and the cause, with the payload', () => {
    const rule = TOPIC_RULES[0];
    if (!rule) throw new Error('core defines no topic rule');

    const error = Object.assign(new Error('queue does not exist'), {
      name: 'QueueDoesNotExist',
    });
    const result = buildErrorMessage(rule, buildEnvelope(message), {
      queueUrl: 'http://127.0.0.1:1/000000000000/upkeep-ingest',
      error,
      traceId: 't-1',
    });

    expect(result).toEqual({
      ruleName: 'upkeep_reports',
      topic: message.topic,
      clientId: 'dev-a',
      cloudwatchTraceId: 't-1',
      base64OriginalPayload: 'bm90IGpzb24gew==',
      failures: [
        {
          failedAction: 'SqsAction',
          failedResource: 'http://127.0.0.1:1/000000000000/upkeep-ingest',
          errorMessage:
            'Failed to send message to SQS. ' +
            'QueueDoesNotExist: queue does not exist',
        },
      ],
    });
  });
});

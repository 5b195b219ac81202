import { describe, expect, it } from 'vitest';
import { parseJobEvent } from './parse-event.js';

/** The documented job execution event (events-jobs.html), as a rule sends it. */
const event = {
  eventType: 'JOB_EXECUTION',
  eventId: 'cca89fa5-8a7f-4ced-8c20-5e653afb3572',
  timestamp: 1796400000,
  operation: 'succeeded',
  jobId: 'upkeep-0a1b2c3d4e5f60718293-o1-a1',
  thingArn: 'arn:aws:iot:us-east-1:123456789012:thing/laptop-0042',
  status: 'SUCCEEDED',
  statusDetails: { reportId: '01JEXAMPLE' },
};

function body(payload: unknown, topic?: string) {
  return JSON.stringify({
    topic: topic ?? `$aws/events/jobExecution/${event.jobId}/succeeded`,
    clientId: '',
    receivedAt: 1796400000123,
    payload: Buffer.from(JSON.stringify(payload)).toString('base64'),
  });
}

describe('parseJobEvent', () => {
  it('reads a job execution event from its rule envelope', () => {
    expect(parseJobEvent(body(event))).toEqual(event);
  });

  it.each([
    ['not an envelope', '{"nope":1}', 'envelope-invalid'],
    [
      'a device topic',
      body(event, 'upkeep/v1/devices/x/reports'),
      'unknown-topic',
    ],
    [
      'a job event without a status',
      body({ ...event, status: undefined }),
      'event-invalid',
    ],
    [
      'an event of another job than its topic',
      body({ ...event, jobId: 'other-job' }),
      'topic-mismatch',
    ],
  ])('rejects %s', (_, text, code) => {
    expect(() => parseJobEvent(text)).toThrow(
      expect.objectContaining({ code }),
    );
  });
});

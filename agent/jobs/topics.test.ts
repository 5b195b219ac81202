import { describe, expect, it } from 'vitest';
import { jobsTopics, parseJobsTopic } from './topics.js';

describe('jobs topics', () => {
  it('names the reserved topics of one thing', () => {
    const topics = jobsTopics('laptop-0042');

    expect(topics.startNext).toBe('$aws/things/laptop-0042/jobs/start-next');
    expect(topics.getNext).toBe('$aws/things/laptop-0042/jobs/$next/get');
    expect(topics.update('job-1')).toBe(
      '$aws/things/laptop-0042/jobs/job-1/update',
    );
    expect(topics.subscriptions).toContain(
      '$aws/things/laptop-0042/jobs/+/update/rejected',
    );
  });

  it('reads replies and notifications of its own thing', () => {
    const parse = (rest: string) =>
      parseJobsTopic('laptop-0042', `$aws/things/laptop-0042/jobs/${rest}`);

    expect(parse('notify-next')).toEqual({ kind: 'notify-next' });
    expect(parse('start-next/accepted')).toEqual({
      kind: 'start-next',
      outcome: 'accepted',
    });
    expect(parse('$next/get/rejected')).toEqual({
      kind: 'get-next',
      outcome: 'rejected',
    });
    expect(parse('job-1/update/accepted')).toEqual({
      kind: 'update',
      jobId: 'job-1',
      outcome: 'accepted',
    });
    expect(parse('job-1/update')).toBeUndefined();
    expect(parse('notify')).toBeUndefined();
  });

  it("ignores another thing's jobs topics, as AWS asks devices to", () => {
    expect(
      parseJobsTopic('laptop-0042', '$aws/things/laptop-0043/jobs/notify-next'),
    ).toBeUndefined();
    expect(
      parseJobsTopic('laptop-0042', 'upkeep/v1/groups/all/cycles'),
    ).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { isRequestTopic } from './request-topics.js';

describe('isRequestTopic', () => {
  it('names shadow gets and the Jobs requests', () => {
    const requests = [
      '$aws/things/my-laptop/shadow/get',
      '$aws/things/my-laptop/shadow/name/policy/get',
      '$aws/things/my-laptop/jobs/start-next',
      '$aws/things/my-laptop/jobs/$next/get',
      '$aws/things/my-laptop/jobs/get',
    ];

    expect(requests.filter(isRequestTopic)).toEqual(requests);
  });

  it('keeps updates and reports durable', () => {
    const updates = [
      '$aws/things/my-laptop/shadow/name/policy/update',
      '$aws/things/my-laptop/jobs/job-1/update',
      'upkeep/v1/devices/my-laptop/reports',
      'upkeep/v1/devices/my-laptop/hello',
    ];

    expect(updates.filter(isRequestTopic)).toEqual([]);
  });
});

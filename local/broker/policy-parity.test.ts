import { describe, expect, it } from 'vitest';
import {
  CYCLE_GROUP,
  devicePolicyDocument,
  THING_NAME,
} from '../../infra/lib/device-policy.js';
import { authorizePublish, authorizeSubscribe } from './policy.js';

/**
 * Oracle: the IoT policy infra deploys, evaluated the way IoT Core evaluates
 * it (variables substituted for the connection, `*` and `?` as wildcards in
 * resource ARNs), must allow exactly what the local broker allows.
 */
const parts = { partition: 'aws', region: 'eu-west-1', account: '1' };
const self = 'dev-a';
const group = 'all';

function iotAllows(action: 'iot:Publish' | 'iot:Subscribe', resource: string) {
  const kind = action === 'iot:Publish' ? 'topic' : 'topicfilter';
  const arn = `arn:aws:iot:eu-west-1:1:${kind}/${resource}`;

  return devicePolicyDocument(parts).Statement.some(
    (statement) =>
      statement.Action.includes(action) &&
      statement.Resource.some((pattern) => wildcardMatch(pattern, arn)),
  );
}

function wildcardMatch(pattern: string, value: string) {
  const resolved = pattern
    .replaceAll(THING_NAME, self)
    .replaceAll(CYCLE_GROUP, group);
  const source = [...resolved]
    .map((c) =>
      c === '*'
        ? '.*'
        : c === '?'
          ? '.'
          : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`).test(value);
}

describe('local broker policy against the deployed IoT policy', () => {
  it.each([
    'upkeep/v1/devices/dev-a/hello',
    'upkeep/v1/devices/dev-a/reports',
    'upkeep/v1/devices/dev-b/reports',
    'upkeep/v1/devices/dev-a/other',
    'upkeep/v1/groups/all/cycles',
    '$aws/things/dev-a/shadow/name/policy/get',
    '$aws/things/dev-a/shadow/name/policy/update',
    '$aws/things/dev-a/shadow/update',
    '$aws/things/dev-a/jobs/start-next',
    '$aws/things/dev-a/jobs/job-1/update',
    '$aws/things/dev-b/jobs/start-next',
    'anything/else',
  ])('agrees on a publish to %s', (topic) => {
    expect(authorizePublish(self, topic).allowed).toBe(
      iotAllows('iot:Publish', topic),
    );
  });

  // Another group's cycle topic is left out: the local broker grants any
  // group (the known limitation stated in policy.ts).
  it.each([
    'upkeep/v1/groups/all/cycles',
    'upkeep/v1/groups/+/cycles',
    'upkeep/v1/devices/+/reports',
    'upkeep/v1/devices/dev-a/reports',
    '$aws/things/dev-a/shadow/name/policy/get/accepted',
    '$aws/things/dev-a/shadow/name/policy/#',
    '$aws/things/dev-a/shadow/name/other/get/accepted',
    '$aws/things/dev-a/jobs/notify-next',
    '$aws/things/dev-a/jobs/+/get/accepted',
    '$aws/things/dev-b/jobs/notify-next',
    '$aws/things/+/jobs/notify-next',
    '#',
  ])('agrees on a subscription to %s', (filter) => {
    expect(authorizeSubscribe(self, filter).allowed).toBe(
      iotAllows('iot:Subscribe', filter),
    );
  });
});

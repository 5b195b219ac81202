import { describe, expect, it } from 'vitest';
import {
  authorizeConnect,
  authorizePublish,
  authorizeSubscribe,
} from './policy.js';

describe('authorizeConnect', () => {
  it.each([
    ['dev-a', true],
    ['laptop_042:acme', true],
    ['', false],
    ['has space', false],
    ['a/b', false],
    ['x'.repeat(129), false],
  ])('treats client id %j as allowed=%s', (clientId, allowed) => {
    expect(authorizeConnect(clientId).allowed).toBe(allowed);
  });
});

describe('authorizePublish', () => {
  it.each([
    ['upkeep/v1/devices/dev-a/reports', { allowed: true }],
    ['upkeep/v1/devices/dev-a/hello', { allowed: true }],
    ['$aws/things/dev-a/shadow/name/policy/get', { allowed: true }],
    [
      'upkeep/v1/devices/dev-b/reports',
      { allowed: false, reason: 'foreign-topic' },
    ],
    [
      '$aws/things/dev-b/shadow/name/policy/get',
      { allowed: false, reason: 'foreign-topic' },
    ],
    [
      'upkeep/v1/devices/dev-a/other',
      { allowed: false, reason: 'topic-not-allowed' },
    ],
    [
      'upkeep/v1/groups/all/cycles',
      { allowed: false, reason: 'topic-not-allowed' },
    ],
    ['$aws/things/dev-a', { allowed: false, reason: 'topic-not-allowed' }],
    [
      '$aws/things/dev-a/shadow/update',
      { allowed: false, reason: 'topic-not-allowed' },
    ],
  ])('decides a publish by dev-a to %s', (topic, decision) => {
    expect(authorizePublish('dev-a', topic)).toEqual(decision);
  });
});

describe('authorizeSubscribe', () => {
  it.each([
    ['upkeep/v1/groups/all/cycles', { allowed: true }],
    ['$aws/things/dev-a/jobs/notify-next', { allowed: true }],
    ['$aws/things/dev-a/shadow/name/policy/#', { allowed: true }],
    [
      'upkeep/v1/groups/+/cycles',
      { allowed: false, reason: 'topic-not-allowed' },
    ],
    [
      'upkeep/v1/devices/+/reports',
      { allowed: false, reason: 'topic-not-allowed' },
    ],
    ['#', { allowed: false, reason: 'topic-not-allowed' }],
    ['$aws/things/+/jobs/notify', { allowed: false, reason: 'foreign-topic' }],
    [
      '$aws/things/dev-b/jobs/notify',
      { allowed: false, reason: 'foreign-topic' },
    ],
  ])('decides a subscription by dev-a to %s', (filter, decision) => {
    expect(authorizeSubscribe('dev-a', filter)).toEqual(decision);
  });
});

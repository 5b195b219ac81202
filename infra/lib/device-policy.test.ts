import { describe, expect, it } from 'vitest';
import { deviceTopic, groupCycleTopic } from '../../core/topics.js';
import {
  CYCLE_GROUP_ATTRIBUTE,
  devicePolicyDocument,
  type IotPolicyDocument,
} from './device-policy.js';

const parts = {
  partition: 'aws',
  region: 'eu-west-1',
  account: '111122223333',
};
const prefix = 'arn:aws:iot:eu-west-1:111122223333:';

interface Connection {
  thingName: string;
  attributes: Record<string, string>;
  attached: boolean;
}

/**
 * A small evaluator of the subset of IoT policy semantics the document uses:
 * thing-name and thing-attribute variables, `*` matching any run of
 * characters, the IsAttached condition, and "a statement whose variable does
 * not resolve matches nothing".
 */
function allows(
  document: IotPolicyDocument,
  connection: Connection,
  action: string,
  resource: string,
): boolean {
  return document.Statement.some((statement) => {
    if (!statement.Action.includes(action)) return false;

    const attached =
      statement.Condition?.Bool?.['iot:Connection.Thing.IsAttached'];
    if (attached === 'true' && !connection.attached) return false;

    return statement.Resource.some((pattern) => {
      const resolved = substitute(pattern, connection);
      return resolved !== undefined && wildcard(resolved).test(resource);
    });
  });
}

function substitute(pattern: string, connection: Connection) {
  let unresolved = false;
  const value = pattern.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name === 'iot:Connection.Thing.ThingName') return connection.thingName;
    const attribute = /^iot:Connection\.Thing\.Attributes\[(.+)\]$/.exec(name);
    const found = attribute?.[1] && connection.attributes[attribute[1]];
    if (found) return found;
    unresolved = true;
    return '';
  });
  return unresolved ? undefined : value;
}

function wildcard(pattern: string) {
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

const document = devicePolicyDocument(parts);
const laptop: Connection = {
  thingName: 'laptop-1',
  attributes: { [CYCLE_GROUP_ATTRIBUTE]: 'acme' },
  attached: true,
};

describe('devicePolicyDocument', () => {
  it('lets a device connect only with its own thing name as client id', () => {
    expect(
      allows(document, laptop, 'iot:Connect', `${prefix}client/laptop-1`),
    ).toBe(true);
    expect(
      allows(document, laptop, 'iot:Connect', `${prefix}client/laptop-2`),
    ).toBe(false);
    expect(
      allows(
        document,
        { ...laptop, attached: false },
        'iot:Connect',
        `${prefix}client/laptop-1`,
      ),
    ).toBe(false);
  });

  it('lets a device publish hello and reports on its own topics only', () => {
    const own = deviceTopic('laptop-1', 'reports');
    const other = deviceTopic('laptop-2', 'reports');

    expect(
      allows(document, laptop, 'iot:Publish', `${prefix}topic/${own}`),
    ).toBe(true);
    expect(
      allows(
        document,
        laptop,
        'iot:Publish',
        `${prefix}topic/${deviceTopic('laptop-1', 'hello')}`,
      ),
    ).toBe(true);
    expect(
      allows(document, laptop, 'iot:Publish', `${prefix}topic/${other}`),
    ).toBe(false);
  });

  it('denies publishing to a cycle topic or to another shadow', () => {
    const cycles = groupCycleTopic('acme');
    const shadow = '$aws/things/laptop-1/shadow/name/other/get';
    const foreignUpdate = '$aws/things/laptop-2/shadow/name/policy/update';

    for (const topic of [cycles, shadow, foreignUpdate]) {
      expect(
        allows(document, laptop, 'iot:Publish', `${prefix}topic/${topic}`),
      ).toBe(false);
    }
  });

  it('lets a device use the jobs API and read its policy shadow', () => {
    const topics = [
      '$aws/things/laptop-1/jobs/start-next',
      '$aws/things/laptop-1/jobs/job-7/update',
      '$aws/things/laptop-1/shadow/name/policy/get',
    ];

    for (const topic of topics) {
      expect(
        allows(document, laptop, 'iot:Publish', `${prefix}topic/${topic}`),
      ).toBe(true);
    }
    expect(
      allows(
        document,
        laptop,
        'iot:Publish',
        `${prefix}topic/$aws/things/laptop-2/jobs/job-7/update`,
      ),
    ).toBe(false);
  });

  it('lets a device subscribe to and receive its own shadow and jobs', () => {
    const own = [
      '$aws/things/laptop-1/shadow/name/policy/update/delta',
      '$aws/things/laptop-1/jobs/notify-next',
    ];
    const others = [
      '$aws/things/laptop-2/shadow/name/policy/update/delta',
      '$aws/things/laptop-2/jobs/notify-next',
      '$aws/things/laptop-1/shadow/update/delta',
      deviceTopic('laptop-2', 'reports'),
    ];

    for (const topic of own) {
      expect(
        allows(
          document,
          laptop,
          'iot:Subscribe',
          `${prefix}topicfilter/${topic}`,
        ),
      ).toBe(true);
      expect(
        allows(document, laptop, 'iot:Receive', `${prefix}topic/${topic}`),
      ).toBe(true);
    }
    for (const topic of others) {
      expect(
        allows(
          document,
          laptop,
          'iot:Subscribe',
          `${prefix}topicfilter/${topic}`,
        ),
      ).toBe(false);
      expect(
        allows(document, laptop, 'iot:Receive', `${prefix}topic/${topic}`),
      ).toBe(false);
    }
  });

  it('lets a device receive the cycles of its own group only', () => {
    const own = groupCycleTopic('acme');
    const other = groupCycleTopic('globex');

    expect(
      allows(document, laptop, 'iot:Subscribe', `${prefix}topicfilter/${own}`),
    ).toBe(true);
    expect(
      allows(document, laptop, 'iot:Receive', `${prefix}topic/${own}`),
    ).toBe(true);
    expect(
      allows(
        document,
        laptop,
        'iot:Subscribe',
        `${prefix}topicfilter/${other}`,
      ),
    ).toBe(false);
    expect(
      allows(
        document,
        { ...laptop, attributes: {} },
        'iot:Subscribe',
        `${prefix}topicfilter/${own}`,
      ),
    ).toBe(false);
  });

  it('names only resources of the given partition, region and account', () => {
    const resources = document.Statement.flatMap((s) => s.Resource);

    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) {
      expect(resource.startsWith(prefix)).toBe(true);
    }
  });
});

import { Aws } from 'aws-cdk-lib';
import { CfnPolicy } from 'aws-cdk-lib/aws-iot';
import { Construct } from 'constructs';
import { deviceTopic, groupCycleTopic } from '../../core/topics.js';

/**
 * The one IoT policy every device certificate gets. IoT substitutes the
 * variables per connection, so a device can only act as the thing its
 * certificate is attached to. docs/iot-policy.md explains each statement.
 */
export const THING_NAME = `\${iot:Connection.Thing.ThingName}`;

/**
 * The thing attribute naming the group whose cycle triggers the device may
 * receive. Enrolment sets it; a thing without it gets no cycle topic at all,
 * because IoT denies a statement whose variable does not resolve.
 */
export const CYCLE_GROUP_ATTRIBUTE = 'cycleGroup';
export const CYCLE_GROUP = `\${iot:Connection.Thing.Attributes[${CYCLE_GROUP_ATTRIBUTE}]}`;

/** The named shadow that carries a device's effective policy. */
export const POLICY_SHADOW = 'policy';

export interface ArnParts {
  partition: string;
  region: string;
  account: string;
}

interface PolicyStatement {
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string>>;
}

export interface IotPolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

function iotArn(parts: ArnParts, resource: string) {
  const { partition, region, account } = parts;
  return `arn:${partition}:iot:${region}:${account}:${resource}`;
}

/** Topics the device itself publishes to (not counting $aws requests). */
function ownShadowTopic(suffix: string) {
  return `$aws/things/${THING_NAME}/shadow/name/${POLICY_SHADOW}/${suffix}`;
}

const ownJobsTopics = `$aws/things/${THING_NAME}/jobs/*`;

/** The topics a device may receive from, as names (no `topic/` prefix). */
const inboundTopics = [
  ownShadowTopic('*'),
  ownJobsTopics,
  groupCycleTopic(CYCLE_GROUP),
];

export function devicePolicyDocument(parts: ArnParts): IotPolicyDocument {
  const arn = (resource: string) => iotArn(parts, resource);

  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['iot:Connect'],
        Resource: [arn(`client/${THING_NAME}`)],
        Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
      },
      {
        Effect: 'Allow',
        Action: ['iot:Publish'],
        Resource: [
          arn(`topic/${deviceTopic(THING_NAME, 'hello')}`),
          arn(`topic/${deviceTopic(THING_NAME, 'reports')}`),
          arn(`topic/${ownShadowTopic('get')}`),
          arn(`topic/${ownShadowTopic('update')}`),
          arn(`topic/${ownJobsTopics}`),
        ],
      },
      {
        Effect: 'Allow',
        Action: ['iot:Subscribe'],
        Resource: inboundTopics.map((topic) => arn(`topicfilter/${topic}`)),
      },
      {
        Effect: 'Allow',
        Action: ['iot:Receive'],
        Resource: inboundTopics.map((topic) => arn(`topic/${topic}`)),
      },
    ],
  };
}

export interface DevicePolicyProps {
  /** The IoT policy name, unique in the account and region. */
  policyName: string;
}

export class DevicePolicy extends Construct {
  readonly policyName: string;

  constructor(scope: Construct, id: string, props: DevicePolicyProps) {
    super(scope, id);

    const policy = new CfnPolicy(this, 'Resource', {
      policyName: props.policyName,
      policyDocument: devicePolicyDocument({
        partition: Aws.PARTITION,
        region: Aws.REGION,
        account: Aws.ACCOUNT_ID,
      }),
    });
    this.policyName = policy.ref;
  }
}

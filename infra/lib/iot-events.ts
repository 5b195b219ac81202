import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { functionRoleAndLogs } from './upkeep-function.js';

/**
 * The IoT event types the stack turns on. The remedy loop needs job
 * execution events (the `upkeep_job_executions` rule); job events tell the
 * patch rollout when a job completes. Lifecycle (presence) events need no
 * switch: IoT always publishes them.
 */
export const IOT_EVENT_TYPES = ['JOB', 'JOB_EXECUTION'] as const;

/**
 * The construct id of CDK's single AwsCustomResource handler in a stack
 * (the `AWS` + uuid of the singleton, aws-cdk-lib/custom-resources).
 */
const HANDLER_ID_PREFIX = 'AWS679f53fac002430cb0da5b7982bd2287';

export const iotEventsDefaults = {
  /** One API call; the default 2 minutes is generous. */
  timeout: Duration.seconds(60),
  memorySize: 256,
};

export interface IotEventsProps {
  deploymentName: string;
  logRetention: RetentionDays;
}

/**
 * Turns IoT event messages on for the account and region. CloudFormation
 * has no resource for IoT's event configuration, so a custom resource calls
 * iot:UpdateEventConfigurations on create and update. Deleting the stack
 * leaves the events on: the setting is account-wide, and another deployment
 * in the account may rely on it.
 */
export class IotEvents extends Construct {
  readonly resource: AwsCustomResource;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: IotEventsProps) {
    super(scope, id);

    // Its own role, like every function of the stack, instead of the
    // default one with the managed policy that writes to any log group.
    ({ logGroup: this.logGroup, role: this.role } = functionRoleAndLogs(
      this,
      props.logRetention,
    ));

    const call = {
      service: 'Iot',
      action: 'updateEventConfigurations',
      parameters: {
        eventConfigurations: Object.fromEntries(
          IOT_EVENT_TYPES.map((type) => [type, { Enabled: true }]),
        ),
      },
      physicalResourceId: PhysicalResourceId.of(
        `${props.deploymentName}-iot-event-configuration`,
      ),
    };
    this.resource = new AwsCustomResource(this, 'Configuration', {
      onCreate: call,
      onUpdate: call,
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['iot:UpdateEventConfigurations'],
          resources: ['*'],
        }),
      ]),
      role: this.role,
      logGroup: this.logGroup,
      // The SDK in the Lambda runtime has the call; installing the latest
      // at run time would reach npm from inside the deployment.
      installLatestAwsSdk: false,
      timeout: iotEventsDefaults.timeout,
      memorySize: iotEventsDefaults.memorySize,
    });
    this.acknowledge();
  }

  private acknowledge() {
    Validations.of(this.resource).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'iot:UpdateEventConfigurations acts on the account-wide event ' +
        'configuration and has no resource-level permissions; it is the ' +
        "role's only action besides writing its own log group.",
    });

    // The handler is CDK's own function (one per stack, beside the stack's
    // other constructs), not an UpkeepFunction: its runtime, tracing and
    // packaging are CDK's choice. It runs only during deployments.
    const handler = Stack.of(this)
      .node.children.filter((c) => c.node.id.startsWith(HANDLER_ID_PREFIX))
      .at(0);
    if (!handler) return;
    const acknowledgements: Record<string, string> = {
      'AwsSolutions-L1':
        "CDK's AwsCustomResource handler uses the Node.js runtime CDK " +
        'chooses for it (the newest every region has); it runs once per ' +
        'deployment and receives no input from devices or users.',
      'Serverless-LambdaLatestVersion':
        "CDK's AwsCustomResource handler uses the Node.js runtime CDK " +
        'chooses for it; it runs only during deployments, so its runtime ' +
        'is updated with aws-cdk-lib.',
      'Serverless-LambdaDLQ':
        'CloudFormation invokes the custom resource handler and waits for ' +
        'its answer; a failure fails the deployment, which CloudFormation ' +
        'rolls back and reports. There is nothing to keep in a queue.',
      'Serverless-LambdaTracing':
        'The handler makes one IoT call per deployment; its outcome is in ' +
        'the CloudFormation events and its log group, a trace adds nothing.',
    };
    for (const [id, reason] of Object.entries(acknowledgements)) {
      Validations.of(handler).acknowledge({ id, reason });
    }
  }
}

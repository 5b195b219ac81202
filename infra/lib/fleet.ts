import { CfnOutput, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRootPrincipal,
  Effect,
  ManagedPolicy,
  PolicyStatement,
  Role,
} from 'aws-cdk-lib/aws-iam';
import { CfnThingGroup, CfnThingType } from 'aws-cdk-lib/aws-iot';
import { Construct } from 'constructs';
import { keys } from '../../core/table.js';
import { iotArn } from './cycle-functions.js';
import type { DataTable } from './data-table.js';
import { CYCLE_GROUP_ATTRIBUTE } from './device-policy.js';

/**
 * The device registry model (docs/deploy.md, section 8):
 *
 *   <name>-fleet                       every device, through its ring
 *   ├─ <name>-ring-pilot               patch rings: a deployment reaches
 *   └─ <name>-ring-broad               the pilot first, then the broad ring
 *   <name>-client-<client>             made at enrolment (cli/enroll-device),
 *   └─ <name>-client-<client>_<site>   a tree of its own per client
 *
 * A thing joins its site group and one ring: IoT puts a thing in at most
 * one group of each hierarchy, so clients and rings are separate trees.
 * Things have the type `<name>-endpoint`, whose searchable attributes let
 * the console and ListThings filter by client and site.
 */
export const fleetDefaults = {
  thingTypeSuffix: 'endpoint',
  rootGroupSuffix: 'fleet',
  /** Attributes IoT indexes for search; a thing type allows three. */
  searchableAttributes: ['clientId', 'siteId', CYCLE_GROUP_ATTRIBUTE],
};

export function fleetNames(deploymentName: string, rings: readonly string[]) {
  return {
    thingType: `${deploymentName}-${fleetDefaults.thingTypeSuffix}`,
    rootGroup: `${deploymentName}-${fleetDefaults.rootGroupSuffix}`,
    ringGroups: rings.map((ring) => `${deploymentName}-ring-${ring}`),
    ringGroupPrefix: `${deploymentName}-ring-`,
    /** The prefix of the groups enrolment creates per client and site. */
    clientGroupPrefix: `${deploymentName}-client-`,
  };
}

export interface FleetProps {
  deploymentName: string;
  /** Ring names, first to last (settings `upkeep:rings`). */
  rings: readonly string[];
  table: DataTable;
}

export class Fleet extends Construct {
  readonly names: ReturnType<typeof fleetNames>;
  readonly thingType: CfnThingType;
  readonly rootGroup: CfnThingGroup;
  readonly ringGroups: CfnThingGroup[];
  readonly enrolmentPolicy: ManagedPolicy;
  readonly enrolmentRole: Role;

  constructor(scope: Construct, id: string, props: FleetProps) {
    super(scope, id);
    this.names = fleetNames(props.deploymentName, props.rings);

    this.thingType = new CfnThingType(this, 'ThingType', {
      thingTypeName: this.names.thingType,
      thingTypeProperties: {
        thingTypeDescription: 'A desktop or laptop managed by Upkeep',
        searchableAttributes: fleetDefaults.searchableAttributes,
      },
    });
    // IoT refuses to delete a thing type that things still have, and the
    // enrolled things are not the stack's: removing the stack keeps it.
    this.thingType.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.rootGroup = new CfnThingGroup(this, 'RootGroup', {
      thingGroupName: this.names.rootGroup,
      thingGroupProperties: {
        thingGroupDescription: 'Every device of this deployment, by its ring',
      },
    });
    this.ringGroups = this.names.ringGroups.map(
      (name, index) =>
        new CfnThingGroup(this, `Ring-${props.rings[index]}`, {
          thingGroupName: name,
          parentGroupName: this.rootGroup.ref,
          thingGroupProperties: {
            thingGroupDescription: `Patch ring ${index + 1} of ${props.rings.length}`,
          },
        }),
    );

    this.enrolmentPolicy = new ManagedPolicy(this, 'EnrolmentPolicy', {
      description:
        'Enrols devices into this Upkeep deployment: thing, certificate, ' +
        'device policy, groups, registration',
      statements: enrolmentStatements(this.names, props),
    });
    this.acknowledgeEnrolmentWildcards();
    this.enrolmentRole = new Role(this, 'EnrolmentRole', {
      description: 'Assumed by MSP technicians to run `upkeep enroll --aws`',
      assumedBy: new AccountRootPrincipal(),
      managedPolicies: [this.enrolmentPolicy],
    });

    this.outputs(props.deploymentName);
  }

  private acknowledgeEnrolmentWildcards() {
    const reasons: Record<string, string> = {
      'thing/*':
        'Enrolment creates the thing of each new device, so its name is ' +
        'not known before; things of other deployments in the account ' +
        'cannot be told apart by ARN.',
      [`thinggroup/${this.names.clientGroupPrefix}*`]:
        'Client and site groups are created as clients are enrolled; the ' +
        "resource is limited to this deployment's client group prefix.",
      [`thinggroup/${this.names.ringGroupPrefix}*`]:
        "A new device joins one of this deployment's ring groups; the " +
        'resource is limited to their prefix.',
      'cert/*':
        'The certificate is created in the same enrolment, so its id is ' +
        'not known before; IAM cannot name the IoT policy being attached, ' +
        'docs/iot-policy.md explains the remaining trust.',
    };
    for (const [resource, reason] of Object.entries(reasons)) {
      Validations.of(this.enrolmentPolicy).acknowledge({
        id:
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:' +
          `<AWS::Region>:<AWS::AccountId>:${resource}]`,
        reason,
      });
    }
    Validations.of(this.enrolmentPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'iot:CreateKeysAndCertificate and iot:DescribeEndpoint have no ' +
        'resource-level permissions in IAM; enrolment calls each once per ' +
        'device.',
    });
  }

  private outputs(deploymentName: string) {
    const values: Record<string, [string, string]> = {
      ThingTypeName: [this.thingType.ref, 'IoT thing type of every device'],
      FleetGroupName: [this.rootGroup.ref, 'IoT thing group of every device'],
      EnrolmentRoleArn: [
        this.enrolmentRole.roleArn,
        'Role to assume for `upkeep enroll --aws`',
      ],
      EnrolmentPolicyArn: [
        this.enrolmentPolicy.managedPolicyArn,
        'Managed policy for a principal that enrols devices',
      ],
    };
    // On the stack, so that each output keeps its plain name in
    // `cdk deploy --outputs-file`, where enrolment reads them.
    for (const [id, [value, description]] of Object.entries(values)) {
      new CfnOutput(Stack.of(this), id, {
        value,
        description,
        exportName: `${deploymentName}-${id}`,
      });
    }
  }
}

/**
 * Exactly the calls of one enrolment (cli/enroll-device.ts and
 * cli/enroll-directory.ts): create the client and site groups, the thing
 * (typed) and its certificate, attach the device policy and the thing, put
 * it in its site group and its ring, read the data endpoint for the bundle,
 * and write the registration: the client directory (`CLIENTS`), the site
 * (`CLIENT#<client>`) and the device's META (`DEVICE#<thing>`), read back
 * and updated when a device moves site.
 */
function enrolmentStatements(
  names: ReturnType<typeof fleetNames>,
  props: FleetProps,
) {
  const thing = iotArn('thing/*');
  const clientGroups = iotArn(`thinggroup/${names.clientGroupPrefix}*`);
  const ringGroups = iotArn(`thinggroup/${names.ringGroupPrefix}*`);
  const allow = (actions: string[], resources: string[]) =>
    new PolicyStatement({ effect: Effect.ALLOW, actions, resources });

  return [
    // Resource types per action, from the Service Authorization Reference
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/
    // list_awsiot.html) and "How AWS IoT works with IAM" (https://docs.aws.
    // amazon.com/iot/latest/developerguide/security_iam_service-with-iam.html):
    // CreateThing is authorised on the thing and, when the call names one,
    // on its thing type; AttachPolicy on the target certificate (or thing
    // group); AttachThingPrincipal on the thing, and the IoT guide names the
    // certificate as its resource, so both are listed; AddThingToThingGroup
    // on the thing and the group, both required.
    allow(['iot:CreateThing'], [thing, iotArn(`thingtype/${names.thingType}`)]),
    allow(['iot:CreateKeysAndCertificate', 'iot:DescribeEndpoint'], ['*']),
    allow(['iot:AttachPolicy'], [iotArn('cert/*')]),
    allow(['iot:AttachThingPrincipal'], [thing, iotArn('cert/*')]),
    allow(['iot:CreateThingGroup'], [clientGroups]),
    allow(['iot:AddThingToThingGroup'], [thing, clientGroups, ringGroups]),
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
      resources: [props.table.table.tableArn],
      conditions: {
        'ForAllValues:StringLike': {
          'dynamodb:LeadingKeys': [
            keys.device('*'),
            keys.clients(),
            keys.client('*'),
          ],
        },
      },
    }),
  ];
}

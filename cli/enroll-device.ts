import {
  AddThingToThingGroupCommand,
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DescribeEndpointCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { cycleGroupOf } from '../core/index.js';
import { CYCLE_GROUP_ATTRIBUTE } from '../local/broker/certificate-auth.js';
import { EnrollError } from './enroll-errors.js';

/** What one device is enrolled as. */
export interface EnrolmentPlan {
  /** The CDK stack name; it prefixes every group (infra/lib/fleet.ts). */
  deploymentName: string;
  thingName: string;
  clientId: string;
  siteId: string;
  /** Rollout ring for patch deployments (docs/enrolment.md). */
  ring: string;
  /** The deployment's IoT policy (DevicePolicyName output). */
  policyName: string;
  /** The deployment's thing type; none leaves the thing untyped. */
  thingTypeName?: string;
}

/**
 * The thing groups of a device (infra/lib/fleet.ts names them):
 *   <deployment>-client-<client>             made here, a root of its own
 *   └─ <deployment>-client-<client>_<site>   made here; the thing joins it
 *   <deployment>-fleet
 *   └─ <deployment>-ring-<ring>              made by the deployment; the
 *                                            thing joins it
 * IoT lets a thing join one group per hierarchy, so the client tree stays
 * apart from the fleet tree of the rings. A job for the client group
 * reaches the things of its sites.
 */
export function thingGroupsOf(plan: EnrolmentPlan) {
  const prefix = `${plan.deploymentName}-`;
  const cycleGroup = cycleGroupOf(plan.clientId, plan.siteId);
  return {
    client: prefix + cycleGroupOf(plan.clientId),
    site: prefix + cycleGroup,
    ring: `${prefix}ring-${plan.ring}`,
    cycleGroup,
  };
}

export interface EnrolledDevice {
  thingName: string;
  thingArn: string;
  certificateArn: string;
  certificateId: string;
  certificatePem: string;
  privateKeyPem: string;
  /** The account's ATS data endpoint (a host name). */
  endpointAddress: string;
  cycleGroup: string;
}

/**
 * Registers a device in IoT, in this order:
 *   client and site groups → thing (type, attributes)
 *   → thing in its site group and its ring → keys and an ACTIVE certificate
 *   → device policy on the certificate → certificate on the thing
 *   → the data endpoint
 * Groups and the thing are created idempotently (IoT returns the existing
 * one when the configuration is the same), so a run that failed half way
 * can be repeated. A repeat makes a new certificate: the private key of an
 * earlier one exists only in the bundle that run wrote.
 */
export async function enrolDevice(
  iot: IoTClient,
  plan: EnrolmentPlan,
): Promise<EnrolledDevice> {
  const groups = thingGroupsOf(plan);
  await createGroup(iot, groups.client);
  await createGroup(iot, groups.site, groups.client);

  const thing = await call('CreateThing', () =>
    iot.send(
      new CreateThingCommand({
        thingName: plan.thingName,
        thingTypeName: plan.thingTypeName,
        attributePayload: {
          attributes: attributesOf(plan, groups.cycleGroup),
        },
      }),
    ),
  );
  for (const group of [groups.site, groups.ring]) {
    await call('AddThingToThingGroup', () =>
      iot.send(
        new AddThingToThingGroupCommand({
          thingGroupName: group,
          thingName: plan.thingName,
        }),
      ),
    );
  }

  const certificate = await createCertificate(iot, plan);
  const endpoint = await call('DescribeEndpoint', () =>
    iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' })),
  );
  return {
    thingName: plan.thingName,
    thingArn: required(thing.thingArn, 'thingArn'),
    ...certificate,
    endpointAddress: required(endpoint.endpointAddress, 'endpointAddress'),
    cycleGroup: groups.cycleGroup,
  };
}

/**
 * The attributes the device policy and ingest read. The cycle group is the
 * site's, the narrowest group cycles are sent to (core/cycle-groups.ts).
 */
function attributesOf(plan: EnrolmentPlan, cycleGroup: string) {
  return {
    clientId: plan.clientId,
    siteId: plan.siteId,
    [CYCLE_GROUP_ATTRIBUTE]: cycleGroup,
  };
}

async function createGroup(iot: IoTClient, name: string, parent?: string) {
  await call('CreateThingGroup', () =>
    iot.send(
      new CreateThingGroupCommand({
        thingGroupName: name,
        ...(parent ? { parentGroupName: parent } : {}),
      }),
    ),
  );
}

async function createCertificate(iot: IoTClient, plan: EnrolmentPlan) {
  const made = await call('CreateKeysAndCertificate', () =>
    iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true })),
  );
  const certificateArn = required(made.certificateArn, 'certificateArn');
  await call('AttachPolicy', () =>
    iot.send(
      new AttachPolicyCommand({
        policyName: plan.policyName,
        target: certificateArn,
      }),
    ),
  );
  await call('AttachThingPrincipal', () =>
    iot.send(
      new AttachThingPrincipalCommand({
        thingName: plan.thingName,
        principal: certificateArn,
      }),
    ),
  );
  return {
    certificateArn,
    certificateId: required(made.certificateId, 'certificateId'),
    certificatePem: required(made.certificatePem, 'certificatePem'),
    privateKeyPem: required(made.keyPair?.PrivateKey, 'keyPair.PrivateKey'),
  };
}

/** Runs one IoT call; a failure names the operation and IoT's reason. */
async function call<T>(operation: string, send: () => Promise<T>) {
  try {
    return await send();
  } catch (error) {
    const name = (error as Error).name;
    throw new EnrollError(
      'iot-call-failed',
      `${operation} failed: ${name}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function required(value: string | undefined, field: string): string {
  if (!value) {
    throw new EnrollError('iot-call-failed', `IoT returned no ${field}`);
  }
  return value;
}

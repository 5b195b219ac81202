import type { ControlCall, ExtraRoute } from './control-plane.js';
import { IotControlError } from './errors.js';
import type { CertificateRecord } from './registry-model.js';
import type { ThingRegistry } from './thing-registry.js';

/**
 * The registry and security operations enrolment calls, over the restJson1
 * protocol of @aws-sdk/client-iot (paths, query and header members from its
 * schemas):
 *   CreateThing              POST /things/{thingName}
 *   DescribeThing            GET  /things/{thingName}
 *   CreateThingGroup         POST /thing-groups/{thingGroupName}
 *   AddThingToThingGroup     PUT  /thing-groups/addThingToThingGroup
 *   CreateKeysAndCertificate POST /keys-and-certificate?setAsActive=
 *   DescribeCertificate      GET  /certificates/{certificateId}
 *   UpdateCertificate        PUT  /certificates/{certificateId}?newStatus=
 *   AttachPolicy             PUT  /target-policies/{policyName}
 *   AttachThingPrincipal     PUT  /things/{thingName}/principals
 *                                 (principal in `x-amzn-principal`)
 *   DescribeEndpoint         GET  /endpoint?endpointType=
 * The fixed path of AddThingToThingGroup comes before the group pattern.
 */
export function registryRoutes(registry: ThingRegistry): ExtraRoute[] {
  return [
    ['POST', /^\/things\/([^/]+)$/, (c) => createThing(registry, c)],
    ['GET', /^\/things\/([^/]+)$/, (c) => describeThing(registry, c)],
    [
      'PUT',
      /^\/thing-groups\/addThingToThingGroup$/,
      (c) => addThingToGroup(registry, c),
    ],
    ['POST', /^\/thing-groups\/([^/]+)$/, (c) => createGroup(registry, c)],
    [
      'POST',
      /^\/keys-and-certificate$/,
      (c) => createKeysAndCertificate(registry, c),
    ],
    [
      'GET',
      /^\/certificates\/([0-9a-f]{64})$/,
      (c) => describeCertificate(registry, c),
    ],
    [
      'PUT',
      /^\/certificates\/([0-9a-f]{64})$/,
      (c) => updateCertificate(registry, c),
    ],
    ['PUT', /^\/target-policies\/([^/]+)$/, (c) => attachPolicy(registry, c)],
    [
      'PUT',
      /^\/things\/([^/]+)\/principals$/,
      (c) => attachPrincipal(registry, c),
    ],
    ['GET', /^\/endpoint$/, (c) => describeEndpoint(registry, c)],
  ];
}

function createThing(registry: ThingRegistry, { params, body }: ControlCall) {
  const payload = body.attributePayload as
    | { attributes?: Record<string, string> }
    | undefined;
  const thing = registry.createThing({
    thingName: params[0] as string,
    thingTypeName: optionalString(body, 'thingTypeName'),
    attributes: payload?.attributes,
  });
  return {
    thingName: thing.thingName,
    thingArn: thing.thingArn,
    thingId: thing.thingId,
  };
}

function describeThing(registry: ThingRegistry, { params }: ControlCall) {
  const thing = registry.thing(params[0] as string);
  return {
    defaultClientId: thing.thingName,
    thingName: thing.thingName,
    thingId: thing.thingId,
    thingArn: thing.thingArn,
    thingTypeName: thing.thingTypeName,
    attributes: thing.attributes,
    version: thing.version,
  };
}

function createGroup(registry: ThingRegistry, { params, body }: ControlCall) {
  const properties = body.thingGroupProperties as
    | {
        thingGroupDescription?: string;
        attributePayload?: { attributes?: Record<string, string> };
      }
    | undefined;
  const group = registry.createThingGroup({
    thingGroupName: params[0] as string,
    parentGroupName: optionalString(body, 'parentGroupName'),
    description: properties?.thingGroupDescription,
    attributes: properties?.attributePayload?.attributes,
  });
  return {
    thingGroupName: group.thingGroupName,
    thingGroupArn: group.thingGroupArn,
    thingGroupId: group.thingGroupId,
  };
}

function addThingToGroup(registry: ThingRegistry, { body }: ControlCall) {
  const group =
    optionalString(body, 'thingGroupName') ??
    nameFromArn(optionalString(body, 'thingGroupArn'), 'thinggroup');
  const thing =
    optionalString(body, 'thingName') ??
    nameFromArn(optionalString(body, 'thingArn'), 'thing');
  registry.addThingToThingGroup(group, thing);
  return {};
}

async function createKeysAndCertificate(
  registry: ThingRegistry,
  { query }: ControlCall,
) {
  const made = await registry.createKeysAndCertificate(
    query.get('setAsActive') === 'true',
  );
  return {
    certificateArn: made.certificate.certificateArn,
    certificateId: made.certificate.certificateId,
    certificatePem: made.certificatePem,
    keyPair: { PublicKey: made.publicKeyPem, PrivateKey: made.privateKeyPem },
  };
}

function describeCertificate(registry: ThingRegistry, { params }: ControlCall) {
  return {
    certificateDescription: certificateDescription(
      registry.certificate(params[0] as string),
    ),
  };
}

function updateCertificate(
  registry: ThingRegistry,
  { params, query }: ControlCall,
) {
  registry.updateCertificate(params[0] as string, query.get('newStatus') ?? '');
  return {};
}

function attachPolicy(registry: ThingRegistry, { params, body }: ControlCall) {
  const target = optionalString(body, 'target');
  if (!target)
    throw new IotControlError('invalid-request', 'target is required');
  registry.attachPolicy(params[0] as string, target);
  return {};
}

function attachPrincipal(
  registry: ThingRegistry,
  { params, headers }: ControlCall,
) {
  const principal = headers['x-amzn-principal'];
  if (typeof principal !== 'string' || principal === '') {
    throw new IotControlError(
      'invalid-request',
      'the x-amzn-principal header (principal) is required',
    );
  }
  registry.attachThingPrincipal(params[0] as string, principal);
  return {};
}

function describeEndpoint(registry: ThingRegistry, { query }: ControlCall) {
  return {
    endpointAddress: registry.endpointAddress(query.get('endpointType')),
  };
}

/** Dates are epoch seconds in restJson1; the SDK turns them into Dates. */
function certificateDescription(c: CertificateRecord) {
  return {
    certificateArn: c.certificateArn,
    certificateId: c.certificateId,
    status: c.status,
    certificatePem: c.certificatePem,
    ownedBy: '000000000000',
    creationDate: Math.floor(c.createdAt / 1000),
    lastModifiedDate: Math.floor(c.lastModifiedAt / 1000),
    certificateMode: 'DEFAULT',
  };
}

function optionalString(body: Record<string, unknown>, key: string) {
  const value = body[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function nameFromArn(arn: string | undefined, kind: string): string {
  const prefix = `:${kind}/`;
  const at = arn?.lastIndexOf(prefix) ?? -1;
  if (!arn || at < 0) {
    throw new IotControlError(
      'invalid-request',
      `a ${kind} name or ARN is required`,
    );
  }
  return arn.slice(at + prefix.length);
}

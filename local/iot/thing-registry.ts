import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { LocalCa } from '../pki/local-ca.js';
import { certificateIdOf, derOf } from '../pki/x509.js';
import { IotControlError } from './errors.js';
import { readJsonFile, writeJsonAtomically } from './json-file.js';
import {
  CERTIFICATE_STATUSES,
  type CertificateRecord,
  type CertificateStatus,
  REGISTRY_NAME,
  type RegistryState,
  type ThingGroupRecord,
  type ThingRecord,
} from './registry-model.js';

export const thingRegistryDefaults = {
  region: 'us-east-1',
  accountId: '000000000000',
  /**
   * The IoT policy, thing type and groups the deployment has, as the CDK
   * app names them for the deployment `upkeep` (infra/lib/upkeep-stack.ts,
   * infra/lib/fleet.ts). AttachPolicy and CreateThing refuse any other
   * policy or type, as IoT does.
   */
  policyNames: ['upkeep-device'],
  thingTypeNames: ['upkeep-endpoint'],
  deploymentGroups: [
    { thingGroupName: 'upkeep-fleet' },
    { thingGroupName: 'upkeep-ring-pilot', parentGroupName: 'upkeep-fleet' },
    { thingGroupName: 'upkeep-ring-broad', parentGroupName: 'upkeep-fleet' },
  ],
  /** What DescribeEndpoint answers: the broker's mTLS host. */
  endpointAddress: '127.0.0.1',
} as const;

export interface ThingRegistryOptions {
  /** Where registry.json lives; none keeps everything in memory. */
  stateDir?: string;
  /** Signs the certificates of CreateKeysAndCertificate. */
  ca: LocalCa;
  region?: string;
  accountId?: string;
  policyNames?: readonly string[];
  thingTypeNames?: readonly string[];
  /** Groups made on the first start, parents first. */
  deploymentGroups?: readonly CreateGroupInput[];
  endpointAddress?: string;
  now?: () => number;
}

export interface CreateThingInput {
  thingName: string;
  thingTypeName?: string;
  attributes?: Record<string, string>;
}

export interface CreateGroupInput {
  thingGroupName: string;
  parentGroupName?: string;
  description?: string;
  attributes?: Record<string, string>;
}

/**
 * The IoT registry and certificate stand-in: things, thing groups and
 * device certificates signed by the local CA, saved after every change.
 * Events (emitted after the state is saved):
 *   `certificate-disabled` {certificateId}  it left ACTIVE; IoT then
 *                                           disconnects its devices
 */
export class ThingRegistry extends EventEmitter {
  readonly #path: string | undefined;
  readonly #ca: LocalCa;
  readonly #arnPrefix: string;
  readonly #policies: ReadonlySet<string>;
  readonly #thingTypes: ReadonlySet<string>;
  readonly #endpointAddress: string;
  readonly #now: () => number;
  readonly #things = new Map<string, ThingRecord>();
  readonly #groups = new Map<string, ThingGroupRecord>();
  readonly #certificates = new Map<string, CertificateRecord>();

  constructor(options: ThingRegistryOptions) {
    super();
    const d = thingRegistryDefaults;
    const region = options.region ?? d.region;
    this.#arnPrefix = `arn:aws:iot:${region}:${options.accountId ?? d.accountId}`;
    this.#path = options.stateDir && join(options.stateDir, 'registry.json');
    this.#ca = options.ca;
    this.#policies = new Set(options.policyNames ?? d.policyNames);
    this.#thingTypes = new Set(options.thingTypeNames ?? d.thingTypeNames);
    this.#endpointAddress = options.endpointAddress ?? d.endpointAddress;
    this.#now = options.now ?? Date.now;
    this.#load();
    for (const group of options.deploymentGroups ?? d.deploymentGroups) {
      this.createThingGroup(group);
    }
  }

  /**
   * CreateThing: the same name and configuration again returns the thing;
   * the same name with another configuration is a conflict, as in IoT.
   */
  createThing(input: CreateThingInput): ThingRecord {
    assertName('thingName', input.thingName);
    const type = input.thingTypeName;
    if (type !== undefined && !this.#thingTypes.has(type)) {
      throw new IotControlError('not-found', `Thing type ${type} not found`);
    }
    const attributes = input.attributes ?? {};
    const existing = this.#things.get(input.thingName);
    if (existing) {
      if (sameThing(existing, type, attributes)) return existing;
      throw conflict('Thing', input.thingName, existing.thingArn);
    }

    const thing: ThingRecord = {
      thingName: input.thingName,
      thingId: randomUUID(),
      thingArn: `${this.#arnPrefix}:thing/${input.thingName}`,
      ...(type === undefined ? {} : { thingTypeName: type }),
      attributes,
      version: 1,
      groups: [],
    };
    this.#things.set(thing.thingName, thing);
    this.#save();
    return thing;
  }

  thing(thingName: string): ThingRecord {
    const thing = this.#things.get(thingName);
    if (!thing) {
      throw new IotControlError('not-found', `Thing ${thingName} not found`);
    }
    return thing;
  }

  createThingGroup(input: CreateGroupInput): ThingGroupRecord {
    assertName('thingGroupName', input.thingGroupName);
    const parent = input.parentGroupName;
    if (parent !== undefined) this.group(parent);
    const existing = this.#groups.get(input.thingGroupName);
    if (existing) {
      if (existing.parentGroupName === parent) return existing;
      throw conflict(
        'Thing group',
        existing.thingGroupName,
        existing.thingGroupArn,
      );
    }

    const group: ThingGroupRecord = {
      thingGroupName: input.thingGroupName,
      thingGroupId: randomUUID(),
      thingGroupArn: `${this.#arnPrefix}:thinggroup/${input.thingGroupName}`,
      ...(parent === undefined ? {} : { parentGroupName: parent }),
      ...(input.description ? { description: input.description } : {}),
      attributes: input.attributes ?? {},
      createdAt: this.#now(),
    };
    this.#groups.set(group.thingGroupName, group);
    this.#save();
    return group;
  }

  group(thingGroupName: string): ThingGroupRecord {
    const group = this.#groups.get(thingGroupName);
    if (!group) {
      throw new IotControlError(
        'not-found',
        `Thing group ${thingGroupName} not found`,
      );
    }
    return group;
  }

  /**
   * AddThingToThingGroup; adding it again changes nothing. As in IoT, a
   * thing joins one group per hierarchy (groups sharing a root).
   */
  addThingToThingGroup(thingGroupName: string, thingName: string) {
    const group = this.group(thingGroupName);
    const thing = this.thing(thingName);
    if (thing.groups.includes(group.thingGroupName)) return;
    const root = this.#rootOf(group.thingGroupName);
    const sibling = thing.groups.find((g) => this.#rootOf(g) === root);
    if (sibling !== undefined) {
      throw new IotControlError(
        'invalid-request',
        `Thing ${thingName} is in ${sibling} already, of the same ` +
          `hierarchy as ${thingGroupName}; a thing joins one group per hierarchy`,
      );
    }
    thing.groups.push(group.thingGroupName);
    this.#save();
  }

  /** CreateKeysAndCertificate: a new key pair and a certificate for it. */
  async createKeysAndCertificate(setAsActive: boolean) {
    const issued = await this.#ca.issueDevice('AWS IoT Certificate');
    const certificateId = certificateIdOf(derOf(issued.certificatePem));
    const now = this.#now();
    const record: CertificateRecord = {
      certificateId,
      certificateArn: `${this.#arnPrefix}:cert/${certificateId}`,
      certificatePem: issued.certificatePem,
      status: setAsActive ? 'ACTIVE' : 'INACTIVE',
      createdAt: now,
      lastModifiedAt: now,
      policies: [],
      things: [],
    };
    this.#certificates.set(certificateId, record);
    this.#save();
    return { certificate: record, ...issued };
  }

  certificate(certificateId: string): CertificateRecord {
    const certificate = this.#certificates.get(certificateId);
    if (!certificate) {
      throw new IotControlError(
        'not-found',
        `Certificate ${certificateId} not found`,
      );
    }
    return certificate;
  }

  /** AttachPolicy; the stand-in serves certificate targets only. */
  attachPolicy(policyName: string, target: string) {
    if (!this.#policies.has(policyName)) {
      throw new IotControlError('not-found', `Policy ${policyName} not found`);
    }
    const certificate = this.#byArn(target);
    if (certificate.policies.includes(policyName)) return;
    certificate.policies.push(policyName);
    this.#save();
  }

  attachThingPrincipal(thingName: string, principal: string) {
    const thing = this.thing(thingName);
    const certificate = this.#byArn(principal);
    if (certificate.things.includes(thing.thingName)) return;
    certificate.things.push(thing.thingName);
    this.#save();
  }

  /** UpdateCertificate; a revoked certificate stays revoked, as in IoT. */
  updateCertificate(certificateId: string, newStatus: string) {
    const certificate = this.certificate(certificateId);
    const status = CERTIFICATE_STATUSES.find((s) => s === newStatus);
    if (!status) {
      throw new IotControlError(
        'invalid-request',
        `newStatus must be one of ${CERTIFICATE_STATUSES.join(', ')}, ` +
          `got ${JSON.stringify(newStatus)}`,
      );
    }
    if (certificate.status === 'REVOKED' && status !== 'REVOKED') {
      throw new IotControlError(
        'invalid-request',
        `Certificate ${certificateId} is revoked and cannot become ${status}`,
      );
    }

    certificate.status = status;
    certificate.lastModifiedAt = this.#now();
    this.#save();
    if (status !== 'ACTIVE') {
      this.emit('certificate-disabled', { certificateId });
    }
  }

  /** DescribeEndpoint: the same loopback host for every data endpoint. */
  endpointAddress(endpointType: string | null) {
    const served = ['iot:Data', 'iot:Data-ATS', 'iot:Jobs'];
    if (endpointType !== null && !served.includes(endpointType)) {
      throw new IotControlError(
        'invalid-request',
        `endpointType must be one of ${served.join(', ')}, ` +
          `got ${JSON.stringify(endpointType)}`,
      );
    }
    return this.#endpointAddress;
  }

  /** The certificate of a TLS peer, when the registry knows it. */
  findCertificate(certificateId: string): CertificateRecord | undefined {
    return this.#certificates.get(certificateId);
  }

  /** The thing, when it exists. */
  findThing(thingName: string): ThingRecord | undefined {
    return this.#things.get(thingName);
  }

  /** True when a certificate (of any status) is attached to the thing. */
  hasCertificate(thingName: string): boolean {
    for (const certificate of this.#certificates.values()) {
      if (certificate.things.includes(thingName)) return true;
    }
    return false;
  }

  #rootOf(thingGroupName: string): string {
    const parent = this.#groups.get(thingGroupName)?.parentGroupName;
    return parent === undefined ? thingGroupName : this.#rootOf(parent);
  }

  #byArn(arn: string): CertificateRecord {
    const match = /^arn:[^:]+:iot:[^:]*:[^:]*:cert\/([0-9a-f]{64})$/.exec(arn);
    if (!match) {
      throw new IotControlError(
        'invalid-request',
        `the stand-in attaches to certificate ARNs only, got ${JSON.stringify(arn)}`,
      );
    }
    return this.certificate(match[1] as string);
  }

  #save() {
    if (!this.#path) return;
    const state: RegistryState = {
      things: [...this.#things.values()],
      groups: [...this.#groups.values()],
      certificates: [...this.#certificates.values()],
    };
    writeJsonAtomically(this.#path, state);
  }

  #load() {
    const state = this.#path && readJsonFile<RegistryState>(this.#path);
    if (!state) return;
    for (const t of state.things) this.#things.set(t.thingName, t);
    for (const g of state.groups) this.#groups.set(g.thingGroupName, g);
    for (const c of state.certificates) {
      this.#certificates.set(c.certificateId, c);
    }
  }
}

export type { CertificateStatus };

function assertName(field: string, value: string) {
  if (!REGISTRY_NAME.test(value)) {
    throw new IotControlError(
      'invalid-request',
      `${field} must be 1-128 of [a-zA-Z0-9:_-], got ${JSON.stringify(value)}`,
    );
  }
}

function sameThing(
  thing: ThingRecord,
  type: string | undefined,
  attributes: Record<string, string>,
) {
  return (
    thing.thingTypeName === type &&
    JSON.stringify(sorted(thing.attributes)) ===
      JSON.stringify(sorted(attributes))
  );
}

function sorted(record: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => a.localeCompare(b)),
  );
}

function conflict(what: string, name: string, arn: string) {
  return new IotControlError(
    'already-exists',
    `${what} ${name} already exists with another configuration`,
    { resourceId: name, resourceArn: arn },
  );
}

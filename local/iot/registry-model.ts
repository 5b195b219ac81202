/**
 * What the IoT registry stand-in keeps: things, thing groups and device
 * certificates with their policy and thing attachments, as the IoT
 * registry and security APIs describe them. Times are ms since the epoch.
 */
export const CERTIFICATE_STATUSES = ['ACTIVE', 'INACTIVE', 'REVOKED'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export interface ThingRecord {
  thingName: string;
  thingId: string;
  thingArn: string;
  thingTypeName?: string;
  attributes: Record<string, string>;
  version: number;
  /** Thing groups it belongs to, in the order it was added. */
  groups: string[];
}

export interface ThingGroupRecord {
  thingGroupName: string;
  thingGroupId: string;
  thingGroupArn: string;
  parentGroupName?: string;
  description?: string;
  attributes: Record<string, string>;
  createdAt: number;
}

export interface CertificateRecord {
  certificateId: string;
  certificateArn: string;
  certificatePem: string;
  status: CertificateStatus;
  createdAt: number;
  lastModifiedAt: number;
  /** Policies attached to it (AttachPolicy with its ARN as target). */
  policies: string[];
  /** Things it is attached to (AttachThingPrincipal). */
  things: string[];
}

export interface RegistryState {
  things: ThingRecord[];
  groups: ThingGroupRecord[];
  certificates: CertificateRecord[];
}

/** IoT's name pattern for things, thing groups, thing types and policies. */
export const REGISTRY_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;

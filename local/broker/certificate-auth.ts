import { TLSSocket } from 'node:tls';
import type { Client } from 'aedes';
import { certificateIdOf } from '../pki/x509.js';
import { DENY_REASONS, type DenyReason } from './policy.js';

/**
 * The thing attribute naming the device's cycle group, which the device
 * policy reads (CYCLE_GROUP_ATTRIBUTE in infra/lib/device-policy.ts).
 */
export const CYCLE_GROUP_ATTRIBUTE = 'cycleGroup';

/** What the broker reads of the IoT registry (local/iot/thing-registry.ts). */
export interface DeviceDirectory {
  findCertificate(
    certificateId: string,
  ):
    | { status: string; things: readonly string[]; policies: readonly string[] }
    | undefined;
  findThing(
    thingName: string,
  ): { attributes: Readonly<Record<string, string>> } | undefined;
  /** True when a certificate (of any status) is attached to the thing. */
  hasCertificate(thingName: string): boolean;
  on(event: 'certificate-disabled', listener: DisabledListener): unknown;
  off(event: 'certificate-disabled', listener: DisabledListener): unknown;
}

type DisabledListener = (event: { certificateId: string }) => void;

/** What a connection on the mTLS listener may act as, fixed at connect. */
export interface DeviceGrant {
  thingName: string;
  certificateId: string;
  /** The thing's `cycleGroup` attribute; null grants no cycle topic. */
  cycleGroup: string | null;
}

export type Admission =
  | { allowed: true; grant: DeviceGrant }
  | { allowed: false; reason: DenyReason };

/**
 * IoT Core's connect rules for a certificate: it must be one the registry
 * issued, ACTIVE, carry an IoT policy, and be attached to the thing whose
 * name is the client id (`iot:Connection.Thing.IsAttached` and
 * `client/${iot:Connection.Thing.ThingName}` in the device policy).
 */
export function admitCertificate(
  directory: DeviceDirectory,
  certificateId: string,
  clientId: string,
): Admission {
  const certificate = directory.findCertificate(certificateId);
  const refuse = (reason: DenyReason): Admission => ({
    allowed: false,
    reason,
  });
  if (!certificate) return refuse(DENY_REASONS.unknownCertificate);
  if (certificate.status !== 'ACTIVE') {
    return refuse(DENY_REASONS.certificateInactive);
  }
  if (certificate.policies.length === 0) return refuse(DENY_REASONS.noPolicy);
  const thing = certificate.things.includes(clientId)
    ? directory.findThing(clientId)
    : undefined;
  if (!thing) return refuse(DENY_REASONS.notAttached);

  const cycleGroup = thing.attributes[CYCLE_GROUP_ATTRIBUTE] ?? null;
  return {
    allowed: true,
    grant: { thingName: clientId, certificateId, cycleGroup },
  };
}

/**
 * The peer of a client: plain TCP, or TLS with the IoT certificate id of
 * the certificate it presented. The TLS server verified the chain already.
 */
export function peerOf(
  client: Client,
): { tls: false } | { tls: true; certificateId: string | undefined } {
  const conn = client.conn as unknown;
  if (!(conn instanceof TLSSocket)) return { tls: false };
  const raw = conn.getPeerCertificate().raw as Buffer | undefined;
  return { tls: true, certificateId: raw ? certificateIdOf(raw) : undefined };
}

/** Why a TLS peer the CA did not vouch for is refused. */
export function untrustedPeerReason(socket: TLSSocket): DenyReason {
  const raw = socket.getPeerCertificate().raw as Buffer | undefined;
  return raw ? DENY_REASONS.untrustedCertificate : DENY_REASONS.noCertificate;
}

import type { AedesOptions, Client } from 'aedes';
import type { DeniedEvent } from './broker.js';
import {
  admitCertificate,
  type DeviceDirectory,
  type DeviceGrant,
  peerOf,
} from './certificate-auth.js';
import {
  authorizeConnect,
  authorizePublish,
  authorizeSubscribe,
  DENY_REASONS,
  type DenyReason,
} from './policy.js';

type Denied = (event: DeniedEvent) => void;

type PolicyHooks = Required<
  Pick<
    AedesOptions,
    'preConnect' | 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'
  >
>;

/** The grants of the connections that came in over mTLS. */
export type Grants = WeakMap<Client, DeviceGrant>;

/**
 * The aedes hooks that apply the device policy and report each refusal.
 * With a `directory`, a client on the mTLS listener must also pass the
 * certificate rules of IoT Core (certificate-auth.ts), and its grant then
 * decides its cycle group.
 */
export function policyHooks(
  denied: Denied,
  directory?: DeviceDirectory,
  grants: Grants = new WeakMap(),
): PolicyHooks {
  return {
    ...connectHooks(denied, directory, grants),
    authorizePublish: publishHook(denied, grants),
    authorizeSubscribe: subscribeHook(denied, grants),
  };
}

function connectHooks(
  denied: Denied,
  directory: DeviceDirectory | undefined,
  grants: Grants,
): Pick<PolicyHooks, 'preConnect' | 'authenticate'> {
  // aedes replaces an empty client id with a generated one before
  // `authenticate` runs, so the id as sent is kept here for the check.
  const sentIds = new WeakMap<Client, string>();

  return {
    preConnect(client, packet, done) {
      sentIds.set(client, packet.clientId);
      done(null, true);
    },
    authenticate(client, _username, _password, done) {
      const clientId = sentIds.get(client) ?? '';
      const refuse = (reason: DenyReason, returnCode: 2 | 5) => {
        // A certificate refusal names the thing the client claimed to be.
        const thing = returnCode === 5 ? { thingName: clientId } : {};
        denied({ action: 'connect', clientId, ...thing, reason });
        const error = new Error(`connect refused: ${reason}`);
        // CONNACK 2: identifier rejected, 5: not authorized [MQTT-3.2.2-3].
        done(Object.assign(error, { returnCode }), false);
      };

      const decision = authorizeConnect(clientId);
      if (!decision.allowed) return refuse(decision.reason, 2);
      const peer = peerOf(client);
      if (!peer.tls) {
        // The plain listener is for the stack's own agent, the simulator
        // and tests: it must not let anyone speak for an enrolled device.
        if (directory?.hasCertificate(clientId)) {
          return refuse(DENY_REASONS.enrolledThing, 5);
        }
        return done(null, true);
      }

      if (!directory || !peer.certificateId) {
        return refuse(DENY_REASONS.noCertificate, 5);
      }
      const admission = admitCertificate(
        directory,
        peer.certificateId,
        clientId,
      );
      if (!admission.allowed) return refuse(admission.reason, 5);
      grants.set(client, admission.grant);
      done(null, true);
    },
  };
}

function publishHook(
  denied: Denied,
  grants: Grants,
): PolicyHooks['authorizePublish'] {
  return (client, packet, done) => {
    // A null client is the broker itself (its $SYS heartbeats).
    if (!client) return done(null);
    const decision = authorizePublish(client.id, packet.topic);
    if (decision.allowed) return done(null);

    const { reason } = decision;
    const { topic } = packet;
    denied({ ...who(client, grants), action: 'publish', topic, reason });
    // MQTT 3.1.1 has no negative PUBACK: aedes closes the connection, as
    // AWS IoT Core does for a publish its policy refuses.
    done(new Error(`publish to ${topic} refused: ${reason}`));
  };
}

function subscribeHook(
  denied: Denied,
  grants: Grants,
): PolicyHooks['authorizeSubscribe'] {
  return (client, sub, done) => {
    const grant = grants.get(client);
    const decision = authorizeSubscribe(
      client.id,
      sub.topic,
      grant ? grant.cycleGroup : undefined,
    );
    if (decision.allowed) return done(null, sub);

    const { reason } = decision;
    const { topic } = sub;
    denied({ ...who(client, grants), action: 'subscribe', topic, reason });
    // A null grant becomes return code 0x80 in the SUBACK [MQTT-3.9.3].
    done(null, null);
  };
}

/** The client and, on mTLS, the thing and certificate it connected as. */
function who(client: Client, grants: Grants) {
  const grant = grants.get(client);
  return {
    clientId: client.id,
    thingName: grant?.thingName ?? client.id,
    ...(grant ? { certificateId: grant.certificateId } : {}),
  };
}

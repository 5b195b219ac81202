import type { AedesOptions, Client } from 'aedes';
import type { DeniedEvent } from './broker.js';
import {
  authorizeConnect,
  authorizePublish,
  authorizeSubscribe,
} from './policy.js';

type Denied = (event: DeniedEvent) => void;

type PolicyHooks = Required<
  Pick<
    AedesOptions,
    'preConnect' | 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'
  >
>;

/** The aedes hooks that apply the device policy and report each refusal. */
export function policyHooks(denied: Denied): PolicyHooks {
  return {
    ...connectHooks(denied),
    authorizePublish: publishHook(denied),
    authorizeSubscribe: subscribeHook(denied),
  };
}

function connectHooks(
  denied: Denied,
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
      const decision = authorizeConnect(clientId);
      if (decision.allowed) return done(null, true);

      denied({ action: 'connect', clientId, reason: decision.reason });
      const error = new Error(`client id refused: ${decision.reason}`);
      // CONNACK return code 2: identifier rejected [MQTT-3.2.2-3].
      done(Object.assign(error, { returnCode: 2 as const }), false);
    },
  };
}

function publishHook(denied: Denied): PolicyHooks['authorizePublish'] {
  return (client, packet, done) => {
    // A null client is the broker itself (its $SYS heartbeats).
    if (!client) return done(null);
    const decision = authorizePublish(client.id, packet.topic);
    if (decision.allowed) return done(null);

    const { reason } = decision;
    const { topic } = packet;
    denied({ action: 'publish', clientId: client.id, topic, reason });
    // MQTT 3.1.1 has no negative PUBACK: aedes closes the connection, as
    // AWS IoT Core does for a publish its policy refuses.
    done(new Error(`publish to ${topic} refused: ${reason}`));
  };
}

function subscribeHook(denied: Denied): PolicyHooks['authorizeSubscribe'] {
  return (client, sub, done) => {
    const decision = authorizeSubscribe(client.id, sub.topic);
    if (decision.allowed) return done(null, sub);

    const { reason } = decision;
    const { topic } = sub;
    denied({ action: 'subscribe', clientId: client.id, topic, reason });
    // A null grant becomes return code 0x80 in the SUBACK [MQTT-3.9.3].
    done(null, null);
  };
}

import {
  parseDeviceTopic,
  THING_NAME_PATTERN,
  TOPIC_PREFIX,
} from '../../core/index.js';

/**
 * The local mirror of the per-device IoT policy (DESIGN §8), pure so that it
 * can be tested without a broker. In AWS the policy uses
 * `${iot:Connection.Thing.ThingName}`; here the client id plays that part,
 * because the stand-in has no certificates to read a thing name from.
 */
export const DENY_REASONS = {
  /** The client id is empty or not a valid thing name. */
  invalidClientId: 'invalid-client-id',
  /** A device topic of another thing. */
  foreignTopic: 'foreign-topic',
  /** A topic the policy grants to nobody. */
  topicNotAllowed: 'topic-not-allowed',
} as const;

export type DenyReason = (typeof DENY_REASONS)[keyof typeof DENY_REASONS];

export type Decision =
  | { allowed: true }
  | { allowed: false; reason: DenyReason };

const ALLOW: Decision = { allowed: true };
const deny = (reason: DenyReason): Decision => ({ allowed: false, reason });

export function authorizeConnect(clientId: string): Decision {
  return THING_NAME_PATTERN.test(clientId)
    ? ALLOW
    : deny(DENY_REASONS.invalidClientId);
}

/**
 * A device publishes its own hello and reports, and (for shadows and jobs)
 * anything under its own `$aws/things/<self>/`.
 */
export function authorizePublish(clientId: string, topic: string): Decision {
  const device = parseDeviceTopic(topic);
  if (device) {
    return device.thingName === clientId
      ? ALLOW
      : deny(DENY_REASONS.foreignTopic);
  }

  return (
    ownReservedTopic(clientId, topic) ?? deny(DENY_REASONS.topicNotAllowed)
  );
}

/**
 * A device subscribes to cycle triggers of a group (one level, no wildcard)
 * and to its own `$aws/things/<self>/` topics.
 *
 * Known limitation: any group name is granted, because the stand-in does not
 * model thing-group membership yet; AWS grants only the device's groups. It
 * is acceptable while every local device is in the same default group, and
 * is fixed when the local stand-in gains a thing registry.
 */
export function authorizeSubscribe(clientId: string, filter: string): Decision {
  const parts = filter.split('/');
  const isGroupCycles =
    parts.length === 5 &&
    `${parts[0]}/${parts[1]}` === TOPIC_PREFIX &&
    parts[2] === 'groups' &&
    THING_NAME_PATTERN.test(parts[3] ?? '') &&
    parts[4] === 'cycles';
  if (isGroupCycles) return ALLOW;

  return (
    ownReservedTopic(clientId, filter) ?? deny(DENY_REASONS.topicNotAllowed)
  );
}

/** `$aws/things/<self>/...`: ALLOW for self, foreign-topic for another. */
function ownReservedTopic(clientId: string, topic: string) {
  const match = /^\$aws\/things\/([^/]+)\/./.exec(topic);
  if (!match) return undefined;
  return match[1] === clientId ? ALLOW : deny(DENY_REASONS.foreignTopic);
}

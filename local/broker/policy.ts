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
 * A device publishes its own hello and reports, asks for its policy shadow
 * and reports the policy it applied, and talks to its own jobs topics
 * (infra/lib/device-policy.ts).
 */
export function authorizePublish(clientId: string, topic: string): Decision {
  const device = parseDeviceTopic(topic);
  if (device) {
    return device.thingName === clientId
      ? ALLOW
      : deny(DENY_REASONS.foreignTopic);
  }

  return reservedDecision(
    reservedTopic(clientId, topic),
    (rest) =>
      rest === POLICY_SHADOW_GET ||
      rest === POLICY_SHADOW_UPDATE ||
      rest.startsWith(JOBS),
  );
}

/**
 * A device subscribes to cycle triggers of a group (one level, no wildcard),
 * its policy shadow's topics and its own jobs topics.
 *
 * Known limitation: any group name is granted, because the stand-in does not
 * model thing attributes yet; AWS grants only the group in the thing's
 * `cycleGroup` attribute. It is acceptable while every local device is in
 * the same group, and is fixed when the local stand-in gains a thing
 * registry.
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

  return reservedDecision(
    reservedTopic(clientId, filter),
    (rest) => rest.startsWith(POLICY_SHADOW) || rest.startsWith(JOBS),
  );
}

const POLICY_SHADOW = 'shadow/name/policy/';
const POLICY_SHADOW_GET = `${POLICY_SHADOW}get`;
/** The device reports the policy it applied (docs/iot-policy.md). */
const POLICY_SHADOW_UPDATE = `${POLICY_SHADOW}update`;
const JOBS = 'jobs/';

type Reserved = { own: false } | { own: true; rest: string };

/** Splits `$aws/things/<thing>/<rest>`; undefined for any other topic. */
function reservedTopic(clientId: string, topic: string): Reserved | undefined {
  const match = /^\$aws\/things\/([^/]+)\/(.+)$/.exec(topic);
  if (!match) return undefined;
  return match[1] === clientId
    ? { own: true, rest: match[2] ?? '' }
    : { own: false };
}

function reservedDecision(
  reserved: Reserved | undefined,
  allows: (rest: string) => boolean,
): Decision {
  if (!reserved) return deny(DENY_REASONS.topicNotAllowed);
  if (!reserved.own) return deny(DENY_REASONS.foreignTopic);
  return allows(reserved.rest) ? ALLOW : deny(DENY_REASONS.topicNotAllowed);
}

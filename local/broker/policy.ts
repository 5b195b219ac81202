import {
  parseDeviceTopic,
  THING_NAME_PATTERN,
  TOPIC_PREFIX,
} from '../../core/index.js';

/**
 * The local mirror of the per-device IoT policy (DESIGN §8), pure so that it
 * can be tested without a broker. In AWS the policy uses
 * `${iot:Connection.Thing.ThingName}`. On the mTLS listener the certificate
 * names the thing and the client id must equal it (certificate-auth.ts); on
 * the plain loopback listener the client id plays that part alone.
 */
export const DENY_REASONS = {
  /** The client id is empty or not a valid thing name. */
  invalidClientId: 'invalid-client-id',
  /** A device topic of another thing. */
  foreignTopic: 'foreign-topic',
  /** A topic the policy grants to nobody. */
  topicNotAllowed: 'topic-not-allowed',
  /** The cycle topic of a group that is not the thing's `cycleGroup`. */
  foreignGroup: 'foreign-group',
  /** mTLS: the client sent no certificate. */
  noCertificate: 'no-certificate',
  /**
   * Plain listener: the client id is a thing with a certificate attached;
   * an enrolled device proves who it is on the mTLS listener only.
   */
  enrolledThing: 'enrolled-thing-needs-certificate',
  /** mTLS: the certificate is not signed by the local CA (or expired). */
  untrustedCertificate: 'untrusted-certificate',
  /** mTLS: the handshake failed for another reason. */
  tlsFailed: 'tls-handshake-failed',
  /** mTLS: a valid signature, but no CreateKeysAndCertificate made it. */
  unknownCertificate: 'unknown-certificate',
  /** mTLS: the certificate is INACTIVE or REVOKED (UpdateCertificate). */
  certificateInactive: 'certificate-inactive',
  /** mTLS: the client id is not a thing the certificate is attached to. */
  notAttached: 'thing-not-attached',
  /** mTLS: no IoT policy is attached to the certificate. */
  noPolicy: 'no-policy',
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
 * `cycleGroup` is the thing's `cycleGroup` attribute on the mTLS listener,
 * null when the thing has none (IoT then grants no cycle topic at all), and
 * undefined on the plain listener.
 *
 * Known limitation: the plain loopback listener grants the cycles of any
 * group, because a client there has no certificate and so no thing to read
 * the attribute of. It serves the embedded local agent and tests only; the
 * mTLS listener enforces the thing's group as IoT does.
 */
export function authorizeSubscribe(
  clientId: string,
  filter: string,
  cycleGroup?: string | null,
): Decision {
  const parts = filter.split('/');
  const isGroupCycles =
    parts.length === 5 &&
    `${parts[0]}/${parts[1]}` === TOPIC_PREFIX &&
    parts[2] === 'groups' &&
    THING_NAME_PATTERN.test(parts[3] ?? '') &&
    parts[4] === 'cycles';
  if (isGroupCycles) {
    return cycleGroup === undefined || parts[3] === cycleGroup
      ? ALLOW
      : deny(DENY_REASONS.foreignGroup);
  }

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

/**
 * MQTT topic names of protocol v1 (DESIGN §4). One place builds and parses
 * them so that the agent, the IoT policy, the rules and the local broker
 * always agree.
 */
export const TOPIC_PREFIX = 'upkeep/v1' as const;

/** A thing name as AWS IoT accepts it: 1-128 of [a-zA-Z0-9:_-]. */
export const THING_NAME_PATTERN = /^[a-zA-Z0-9:_-]{1,128}$/;

export type DeviceChannel = 'hello' | 'reports';

export function deviceTopic(thingName: string, channel: DeviceChannel) {
  return `${TOPIC_PREFIX}/devices/${thingName}/${channel}`;
}

export function groupCycleTopic(group: string) {
  return `${TOPIC_PREFIX}/groups/${group}/cycles`;
}

/** Topic filters the IoT rules (and the local rule engine) subscribe to. */
export const TOPIC_FILTERS = {
  hello: `${TOPIC_PREFIX}/devices/+/hello`,
  reports: `${TOPIC_PREFIX}/devices/+/reports`,
  /** What IoT Jobs publishes when an execution reaches a final status. */
  jobExecutionEvents: '$aws/events/jobExecution/#',
} as const;

export interface ParsedDeviceTopic {
  thingName: string;
  channel: DeviceChannel;
}

/** Returns the thing and channel of a device topic, or undefined. */
export function parseDeviceTopic(topic: string): ParsedDeviceTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5) return undefined;

  const [prefix, version, devices, thingName, channel] = parts;
  if (`${prefix}/${version}` !== TOPIC_PREFIX || devices !== 'devices') {
    return undefined;
  }
  if (!thingName || !THING_NAME_PATTERN.test(thingName)) return undefined;
  if (channel !== 'hello' && channel !== 'reports') return undefined;

  return { thingName, channel };
}

/**
 * The reserved topics of the AWS IoT Jobs device MQTT API for one thing
 * (https://docs.aws.amazon.com/iot/latest/developerguide/jobs-mqtt-api.html).
 * Every response arrives on the request topic plus `/accepted` or
 * `/rejected`; `notify-next` comes unasked when the next execution changes.
 */
export interface JobsTopics {
  notifyNext: string;
  startNext: string;
  getNext: string;
  update(jobId: string): string;
  /** Filters the agent subscribes to (QoS1) on every connection. */
  subscriptions: readonly string[];
}

export function jobsTopics(thingName: string): JobsTopics {
  const base = `$aws/things/${thingName}/jobs`;
  const startNext = `${base}/start-next`;
  const getNext = `${base}/$next/get`;
  return {
    notifyNext: `${base}/notify-next`,
    startNext,
    getNext,
    update: (jobId) => `${base}/${jobId}/update`,
    subscriptions: [
      `${base}/notify-next`,
      `${startNext}/accepted`,
      `${startNext}/rejected`,
      `${getNext}/accepted`,
      `${getNext}/rejected`,
      `${base}/+/update/accepted`,
      `${base}/+/update/rejected`,
    ],
  };
}

export type JobsTopicKind =
  | { kind: 'notify-next' }
  | { kind: 'start-next'; outcome: 'accepted' | 'rejected' }
  | { kind: 'get-next'; outcome: 'accepted' | 'rejected' }
  | { kind: 'update'; jobId: string; outcome: 'accepted' | 'rejected' };

/**
 * What a received topic is, or undefined for a topic that is not this
 * thing's jobs topic. AWS asks devices to check the thing name in the topic
 * before acting on a message; a foreign thing's topic is undefined here.
 */
export function parseJobsTopic(
  thingName: string,
  topic: string,
): JobsTopicKind | undefined {
  const prefix = `$aws/things/${thingName}/jobs/`;
  if (!topic.startsWith(prefix)) return undefined;

  const rest = topic.slice(prefix.length).split('/');
  if (rest.length === 1 && rest[0] === 'notify-next') {
    return { kind: 'notify-next' };
  }
  const outcome = rest.at(-1);
  if (outcome !== 'accepted' && outcome !== 'rejected') return undefined;

  const [first, second] = rest;
  if (rest.length === 2 && first === 'start-next') {
    return { kind: 'start-next', outcome };
  }
  if (rest.length === 3 && first === '$next' && second === 'get') {
    return { kind: 'get-next', outcome };
  }
  if (rest.length === 3 && first && second === 'update') {
    return { kind: 'update', jobId: first, outcome };
  }
  return undefined;
}

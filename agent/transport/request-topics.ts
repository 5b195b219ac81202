/**
 * Requests to AWS IoT's reserved topics: a shadow get and the Jobs
 * start-next and get. Their reply matters only to the process that asked
 * (it waits for it with its own client token), and each connection asks
 * again, so they are not journaled and a newer one replaces an unsent one.
 *
 * Updates (shadow update, a job execution's status) are state the cloud
 * must get: those stay durable.
 */
const REQUEST = new RegExp(
  String.raw`^\$aws/things/[^/]+/` +
    '(shadow/(name/[^/]+/)?get|jobs/(start-next|get|[^/]+/get))$',
);

export function isRequestTopic(topic: string) {
  return REQUEST.test(topic);
}

import { THING_NAME_PATTERN } from './topics.js';

/**
 * Cycle groups: the devices that get the same cycle triggers on
 * `upkeep/v1/groups/{group}/cycles`. A group is a client, or a site of a
 * client when the site has policy of its own (time zone, cycles), because
 * those decide when each window is due. Enrolment writes the group into
 * the thing attribute `cycleGroup`, which the device IoT policy reads
 * (docs/iot-policy.md); the local stack puts its devices in
 * `client-local`.
 *
 *   client acme          → client-acme
 *   client acme, site hq → client-acme_hq
 *
 * Client and site ids are lower-case letters, digits and dashes, so the
 * underscore cannot be part of either and the name reads back unambiguously.
 */
export const SCOPE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,47}$/;

export class CycleGroupError extends Error {
  readonly code = 'invalid-scope-id';

  constructor(message: string) {
    super(message);
    this.name = 'CycleGroupError';
  }
}

export function cycleGroupOf(clientId: string, siteId?: string): string {
  assertScopeId('client', clientId);
  if (siteId === undefined) return `client-${clientId}`;
  assertScopeId('site', siteId);
  return `client-${clientId}_${siteId}`;
}

/** The client and site a group name stands for, or undefined. */
export function parseCycleGroup(
  group: string,
): { clientId: string; siteId?: string } | undefined {
  const match = /^client-([a-z0-9-]+)(?:_([a-z0-9-]+))?$/.exec(group);
  if (!match || !THING_NAME_PATTERN.test(group)) return undefined;
  const [, clientId = '', siteId] = match;
  if (!SCOPE_ID_PATTERN.test(clientId)) return undefined;
  if (siteId !== undefined && !SCOPE_ID_PATTERN.test(siteId)) return undefined;
  return siteId === undefined ? { clientId } : { clientId, siteId };
}

function assertScopeId(what: string, id: string) {
  if (!SCOPE_ID_PATTERN.test(id)) {
    throw new CycleGroupError(
      `a ${what} id is 1-48 of a-z, 0-9 and "-", not starting with "-"; ` +
        `got ${JSON.stringify(id)}`,
    );
  }
}

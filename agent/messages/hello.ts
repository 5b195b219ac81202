import os from 'node:os';
import { type CheckKind, type Hello, helloSchema } from '../../core/index.js';
import { isoTime } from '../../core/iso-time.js';
import type { SecurityProduct } from '../checks/types.js';
import { AGENT_VERSION } from '../version.js';

/** What the agent knows about itself when it (re)connects. */
export interface HelloInput {
  thingName: string;
  now: Date;
  platform: 'linux' | 'win32' | 'darwin';
  capabilities: readonly CheckKind[];
  policyVersion?: number;
  /** ISO finish time of the last run of each cycle kind. */
  lastRuns: Record<string, string>;
  /**
   * The products the antivirus check found on its last run.
   * @default [] (none found yet: the hello never guesses one)
   */
  securityProducts?: readonly SecurityProduct[];
}

/**
 * The hello message (DESIGN §4), validated before it leaves: a hello the
 * back end would reject is a bug to surface here, not on the wire.
 */
export function buildHello(input: HelloInput): Hello {
  return helloSchema.parse({
    v: 1,
    deviceId: input.thingName,
    sentAt: isoTime(input.now),
    agentVersion: AGENT_VERSION,
    os: {
      platform: input.platform,
      release: os.release().slice(0, 128),
      arch: os.arch().slice(0, 16),
      hostname: os.hostname().slice(0, 255),
    },
    capabilities: [...input.capabilities],
    securityProducts: (input.securityProducts ?? []).map((p) => ({
      name: p.name.slice(0, 128),
      kind: p.kind,
    })),
    ...(input.policyVersion === undefined
      ? {}
      : { policyVersion: input.policyVersion }),
    lastRuns: input.lastRuns,
  });
}

import { defaultStateDir } from '../agent/state/thing-binding.js';

/**
 * The command enrolment prints last: the agent on the bundle, with a state
 * folder of its own thing, so it never shares the local stack's agent
 * folder (whose outbox holds another thing's messages).
 */
export function agentCommandHint(bundleDir: string, thingName: string) {
  const state = defaultStateDir(thingName);
  return `next: upkeep agent --bundle ${bundleDir} --state ${state}`;
}

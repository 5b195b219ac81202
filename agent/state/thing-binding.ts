import { promises as fs } from 'node:fs';
import path from 'node:path';
import { THING_NAME_PATTERN } from '../../core/index.js';
import { AgentConfigError, AgentError } from '../errors.js';

/**
 * A state folder belongs to one thing. Its outbox holds messages on that
 * thing's topics and its state file that thing's runs: an agent of another
 * thing would resend them under its own client id, and the broker would
 * close the connection on each one. The first agent to use the folder
 * writes its name here; any other refuses the folder.
 */
export const THING_MARKER_FILE = 'thing-name';

export const STATE_BOUND_CODE = 'state-folder-bound';

/** Where `upkeep agent` keeps each thing's folder without --state. */
export const AGENT_STATES_ROOT = '.state/agents';

/** The default state folder of a thing: one folder per thing. */
export function defaultStateDir(thingName: string) {
  return path.join(AGENT_STATES_ROOT, thingName);
}

export async function bindStateFolder(dir: string, thingName: string) {
  // Never bind a folder to a name the agent would refuse anyway.
  if (!THING_NAME_PATTERN.test(thingName)) {
    throw new AgentConfigError(
      `thingName must be 1-128 of [a-zA-Z0-9:_-], got "${thingName}"`,
    );
  }
  const file = path.join(dir, THING_MARKER_FILE);
  await fs.mkdir(dir, { recursive: true });

  const owner = await readOwner(file);
  if (owner === undefined) {
    try {
      // `wx`: of two agents starting at once, one writes and one reads.
      await fs.writeFile(file, `${thingName}\n`, { flag: 'wx', mode: 0o600 });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const bound = owner ?? (await readOwner(file));
  if (bound === thingName) return;
  throw new AgentError(
    STATE_BOUND_CODE,
    `state folder ${dir} belongs to thing "${bound}", not "${thingName}"; ` +
      'give this agent its own folder with --state',
  );
}

async function readOwner(file: string) {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalStackError } from './errors.js';

/** Where each part keeps its data under the state folder. */
export interface StateLayout {
  root: string;
  /** dynalite's LevelDB. */
  dynamo: string;
  /** The SQS stand-in's queue journals. */
  sqs: string;
  /** The local agent's own state (outbox, last runs). */
  agent: string;
}

export function stateLayout(root: string): StateLayout {
  return {
    root,
    dynamo: join(root, 'dynamo'),
    sqs: join(root, 'sqs'),
    agent: join(root, 'agent'),
  };
}

const LOCK_FILE = 'upkeep-local.pid';

/** Folders claimed by stacks of this process (tests run several). */
const claimedHere = new Set<string>();

/**
 * Creates the folders and takes the folder for this process. Two stacks on
 * one folder would fight over dynalite's LevelDB and the queue journals; the
 * second one fails here with a clear message instead. A lock left by a
 * process that no longer runs (a crash, kill -9) is taken over.
 */
export function claimStateDir(layout: StateLayout, pid = process.pid) {
  for (const dir of [layout.root, layout.dynamo, layout.sqs, layout.agent]) {
    mkdirSync(dir, { recursive: true });
  }
  assertStateDirFree(layout.root, pid);

  const lock = join(layout.root, LOCK_FILE);
  writeFileSync(lock, `${pid}\n`);
  claimedHere.add(layout.root);
  return () => {
    claimedHere.delete(layout.root);
    rmSync(lock, { force: true });
  };
}

/**
 * Refuses a folder that a running stack holds, reading only: a start can
 * ask before it creates anything, so that a second `upkeep local` on the
 * same folder hears that first, not that its ports are taken.
 */
export function assertStateDirFree(root: string, pid = process.pid) {
  const holder = readHolder(join(root, LOCK_FILE));
  const heldElsewhere =
    holder !== undefined && holder !== pid && isRunning(holder);
  if (heldElsewhere || claimedHere.has(root)) {
    throw new LocalStackError(
      'state-in-use',
      `state folder ${root} is in use by process ${holder ?? pid}; ` +
        'stop it or choose another folder with --state',
    );
  }
}

function readHolder(lock: string) {
  try {
    const pid = Number.parseInt(readFileSync(lock, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number) {
  try {
    // Signal 0 checks for existence without touching the process.
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

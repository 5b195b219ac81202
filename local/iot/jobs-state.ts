import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ExecutionRecord,
  isPending,
  type JobRecord,
  type JobsState,
} from './model.js';

/**
 * The jobs and executions, kept in memory and written to one JSON file
 * after every change (write to a temporary file, then rename, so a crash
 * leaves the old or the new state, never half of one). The volume is a
 * handful of jobs per device, so a whole-file write stays cheap.
 */
export class JobsStateFile {
  readonly #path: string | undefined;
  readonly jobs = new Map<string, JobRecord>();
  /** Every execution, oldest first. */
  readonly executions: ExecutionRecord[] = [];

  constructor(stateDir: string | undefined) {
    this.#path = stateDir && join(stateDir, 'jobs.json');
    if (stateDir) mkdirSync(stateDir, { recursive: true });
    this.#load();
  }

  save() {
    if (!this.#path) return;
    const state: JobsState = {
      jobs: [...this.jobs.values()],
      executions: this.executions,
    };
    const temporary = `${this.#path}.tmp`;
    writeFileSync(temporary, JSON.stringify(state));
    renameSync(temporary, this.#path);
  }

  /** The execution of a job on a thing: a given number, or the latest. */
  execution(jobId: string, thingName: string, executionNumber?: number) {
    const matches = this.executions.filter(
      (e) =>
        e.jobId === jobId &&
        e.thingName === thingName &&
        (executionNumber === undefined ||
          e.executionNumber === executionNumber),
    );
    return matches.at(-1);
  }

  /** The latest execution of each job on the thing, oldest job first. */
  latestFor(thingName: string) {
    const latest = new Map<string, ExecutionRecord>();
    for (const e of this.executions) {
      if (e.thingName === thingName) latest.set(e.jobId, e);
    }
    return [...latest.values()];
  }

  /**
   * Pending executions of a thing in the order the Jobs API hands them
   * out: IN_PROGRESS first, then QUEUED, each by creation order.
   */
  pendingFor(thingName: string) {
    const pending = this.latestFor(thingName).filter((e) =>
      isPending(e.status),
    );
    return [
      ...pending.filter((e) => e.status === 'IN_PROGRESS'),
      ...pending.filter((e) => e.status === 'QUEUED'),
    ];
  }

  #load() {
    if (!this.#path) return;
    let text: string;
    try {
      text = readFileSync(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const state = JSON.parse(text) as JobsState;
    for (const job of state.jobs) this.jobs.set(job.jobId, job);
    this.executions.push(...state.executions);
  }
}

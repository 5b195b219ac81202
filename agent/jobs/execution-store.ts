import * as z from 'zod';
import type { AgentLogger } from '../logger.js';
import type { StateStore } from '../state/state-store.js';

/**
 * The execution in hand, kept in the agent's state file (section `jobs`)
 * so that a restart knows where it stopped:
 *
 *   running ─▶ rechecking ─▶ reporting ─▶ (cleared)
 *
 * `running` is written before the remedy starts, `rechecking` with the
 * remedy's outcome once it ends, `reporting` with the final status before
 * the terminal update goes out. Each is written before the step it names,
 * so the file never claims less than what happened.
 */
export const JOBS_SECTION = 'jobs';

const outcomeSchema = z.object({
  ok: z.boolean(),
  summary: z.string(),
  details: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional(),
});

const finalSchema = z.object({
  status: z.enum(['SUCCEEDED', 'FAILED', 'REJECTED']),
  statusDetails: z.record(z.string(), z.string()),
});

export const currentExecutionSchema = z.object({
  jobId: z.string().min(1),
  executionNumber: z.number().int().optional(),
  versionNumber: z.number().int(),
  step: z.enum(['running', 'rechecking', 'reporting']),
  remedy: z.string().optional(),
  startedAt: z.iso.datetime({ offset: true }),
  remedyOutcome: outcomeSchema.optional(),
  final: finalSchema.optional(),
});

export type CurrentExecution = z.infer<typeof currentExecutionSchema>;
export type FinalStatus = z.infer<typeof finalSchema>;

export class ExecutionStore {
  readonly #state: StateStore;
  readonly #logger: AgentLogger;

  constructor(state: StateStore, logger: AgentLogger) {
    this.#state = state;
    this.#logger = logger;
  }

  /** The saved execution, or undefined (none, or unreadable: logged). */
  current(): CurrentExecution | undefined {
    const raw = this.#state.section(JOBS_SECTION);
    if (raw === undefined || raw === null) return undefined;

    const parsed = currentExecutionSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    // The job then looks new to this agent; at worst a remedy that is
    // safe to repeat runs again, or the cloud times the execution out.
    this.#logger.warn('saved job execution unreadable, ignored', {
      issue: parsed.error.issues[0]?.message,
    });
    return undefined;
  }

  save(execution: CurrentExecution): Promise<void> {
    return this.#state.writeSection(JOBS_SECTION, execution);
  }

  clear(): Promise<void> {
    return this.#state.writeSection(JOBS_SECTION, null);
  }
}

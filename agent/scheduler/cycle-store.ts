import * as z from 'zod';
import { cycleMessageSchema } from '../../core/index.js';
import type { AgentLogger } from '../logger.js';
import type { StateStore } from '../state/state-store.js';
import type { AcceptedCycle, CompletedCycle, CycleStore } from './types.js';

/**
 * The scheduler's part of the agent state file, section `scheduler`:
 *
 *   { "completed": { "<kind>": { cycleId, completedAt, trigger } },
 *     "accepted": [ <cloud cycle message> + receivedAt, ... ] }
 *
 * Every change replaces the whole state file atomically (StateStore).
 */
export const SCHEDULER_SECTION = 'scheduler';

const sectionSchema = z.object({
  completed: z.record(
    z.string(),
    z.object({
      cycleId: z.string(),
      completedAt: z.iso.datetime({ offset: true }),
      trigger: z.enum(['schedule', 'catch-up']),
    }),
  ),
  accepted: z.array(
    z.object({
      ...cycleMessageSchema.shape,
      receivedAt: z.iso.datetime({ offset: true }),
    }),
  ),
});

type Section = z.infer<typeof sectionSchema>;

export class StateCycleStore implements CycleStore {
  readonly #state: StateStore;
  readonly #kept: number;
  #section: Section;

  constructor(state: StateStore, logger: AgentLogger, acceptedKept: number) {
    this.#state = state;
    this.#kept = acceptedKept;
    const stored = state.section(SCHEDULER_SECTION);
    const parsed = sectionSchema.safeParse(stored);
    if (stored !== undefined && !parsed.success) {
      // Losing it only makes the next cycles run early.
      logger.warn('scheduler state unreadable, starting afresh', {
        code: 'scheduler-state-invalid',
      });
    }
    this.#section = parsed.success
      ? parsed.data
      : { completed: {}, accepted: [] };
  }

  completed(kind: string): CompletedCycle | undefined {
    return this.#section.completed[kind];
  }

  recordCompleted(kind: string, done: CompletedCycle) {
    const completed = { ...this.#section.completed, [kind]: done };
    return this.#write({ ...this.#section, completed });
  }

  accepted(): AcceptedCycle[] {
    return [...this.#section.accepted];
  }

  accept(cycle: AcceptedCycle) {
    const accepted = [...this.#section.accepted, cycle].slice(-this.#kept);
    return this.#write({ ...this.#section, accepted });
  }

  #write(section: Section) {
    this.#section = section;
    return this.#state.writeSection(SCHEDULER_SECTION, section);
  }
}

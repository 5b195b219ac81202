import * as z from 'zod';
import type { AgentLogger } from '../../logger.js';
import { CheckStateFile } from '../state-file.js';
import type { SmartBaseline } from './types.js';

/** The file in the agent's state folder that holds the SMART baselines. */
export const SMART_BASELINE_FILE = 'smart-baselines.json';

const baselineSchema = z.object({
  takenAt: z.string().optional(),
  counters: z.record(z.string(), z.number()),
});

const documentSchema = z.object({
  v: z.literal(1),
  /** Keyed by the drive's subject: model and serial, never the path. */
  drives: z.record(z.string(), baselineSchema),
});

type BaselineDocument = z.infer<typeof documentSchema>;

/**
 * The counters of each drive's previous run. A drive is keyed by model and
 * serial (`driveSubject`), because `/dev/sdb` names another disk after a
 * USB drive is plugged in first.
 */
export class SmartBaselineStore {
  readonly #file: CheckStateFile<BaselineDocument>;

  constructor(stateDir: string) {
    this.#file = new CheckStateFile(
      stateDir,
      SMART_BASELINE_FILE,
      documentSchema,
      () => ({ v: 1, drives: {} }),
    );
  }

  async read(logger: AgentLogger): Promise<Map<string, SmartBaseline>> {
    const doc = await this.#file.read(logger);
    return new Map(Object.entries(doc.drives));
  }

  /** Stores the given drives' counters, keeping drives not seen this run. */
  async save(
    previous: ReadonlyMap<string, SmartBaseline>,
    fresh: ReadonlyMap<string, SmartBaseline>,
  ) {
    const drives = Object.fromEntries([...previous, ...fresh]);
    await this.#file.write({ v: 1, drives });
  }
}

import * as z from 'zod';
import type { Volume } from '../../../core/index.js';
import type { AgentLogger } from '../../logger.js';
import { CheckStateFile } from '../state-file.js';
import { addSample, type ForecastOptions, type Sample } from './forecast.js';

/** The file in the agent's state folder with each volume's samples. */
export const DISK_HISTORY_FILE = 'disk-history.json';

const volumeHistorySchema = z.object({
  /** A resized volume starts a new history: old samples would lie. */
  totalBytes: z.number(),
  samples: z.array(z.tuple([z.number(), z.number()])),
});

const documentSchema = z.object({
  v: z.literal(1),
  volumes: z.record(z.string(), volumeHistorySchema),
});

type HistoryDocument = z.infer<typeof documentSchema>;

/** Free-space samples per volume id, for the days-until-full forecast. */
export class DiskHistoryStore {
  readonly #file: CheckStateFile<HistoryDocument>;

  constructor(stateDir: string) {
    this.#file = new CheckStateFile(
      stateDir,
      DISK_HISTORY_FILE,
      documentSchema,
      () => ({ v: 1, volumes: {} }),
    );
  }

  /**
   * Adds this run's sample of every volume and returns each volume's
   * samples. Volumes not seen in this run are dropped from the file.
   */
  async record(
    volumes: readonly Volume[],
    now: Date,
    options: ForecastOptions,
    logger: AgentLogger,
  ): Promise<Map<string, Sample[]>> {
    const doc = await this.#file.read(logger);
    const next: HistoryDocument = { v: 1, volumes: {} };

    for (const volume of volumes) {
      const before = doc.volumes[volume.id];
      const kept =
        before?.totalBytes === volume.totalBytes ? before.samples : [];
      const sample: Sample = [now.getTime(), volume.availableBytes];
      next.volumes[volume.id] = {
        totalBytes: volume.totalBytes,
        samples: addSample(kept, sample, options).map(([t, b]) => [t, b]),
      };
    }
    await this.#file.write(next).catch((error: unknown) => {
      // The forecast still runs on what was read; one sample is lost.
      logger.warn('disk history not saved', { error });
    });
    return new Map(
      Object.entries(next.volumes).map(([id, h]) => [id, h.samples]),
    );
  }
}

import type { Volume } from '../../../core/index.js';

/** A volume a probe saw but does not monitor, and why. */
export interface SkippedVolume {
  /** Mount point, drive letter or volume path, as the source named it. */
  id: string;
  reason: string;
}

/** What every disk-space probe and parser hands to the judge. */
export interface ProbedVolumes {
  volumes: Volume[];
  skipped: SkippedVolume[];
}

import type { CatalogueEntry } from './schema.js';

/**
 * Findings the cloud raises about a device's maintenance itself, not from
 * a check's report: the sweep (lambdas/sweep, docs/cycles.md).
 */
export const MAINTENANCE_ENTRIES: CatalogueEntry[] = [
  {
    code: 'maintenance.missed',
    title: 'A maintenance cycle was missed',
    meaning:
      'No run of this cycle kind reached the cloud for its latest window, ' +
      'and the window closed: the device was online and did not run it, or ' +
      'it lost its connection and has not come back within the grace ' +
      'period. A device that was shut down cleanly is not counted until it ' +
      'has been away longer than the clean-offline limit. The subject is ' +
      'the cycle kind; the detail names the window and how the device was ' +
      'last seen.',
    severity: 'warning',
    source: 'docs/cycles.md',
    remedies: {},
  },
];

import type { SmartBaseline, SmartDevice } from './types.js';

/** ATA counters whose growth the judge compares with the baseline. */
const ATA_COUNTERS = [5, 187, 188, 197, 198, 199];

/**
 * The counters to store after a run, so that the next run can judge growth
 * instead of the absolute value. Packed raw values are left out.
 */
export function smartCounters(
  device: SmartDevice,
  takenAt?: string,
): SmartBaseline {
  const counters: Record<string, number> = {};

  for (const a of device.attributes) {
    if (ATA_COUNTERS.includes(a.id) && a.count !== undefined) {
      counters[`ata.${a.id}`] = a.count;
    }
  }
  const put = (key: string, value: number | undefined) => {
    if (value !== undefined) counters[key] = value;
  };
  put('ata.error_log', device.errorLogCount);
  put('nvme.media_errors', device.nvme?.mediaErrors);
  put('nvme.error_log', device.nvme?.errorLogEntries);
  put('scsi.grown_defects', device.scsi?.grownDefects);

  return { ...(takenAt ? { takenAt } : {}), counters };
}

export { judgeBtrfs } from './btrfs-judge.js';
export { type BtrfsUsage, parseBtrfsUsage } from './btrfs-usage.js';
export {
  createDiskSpaceCheck,
  type DiskSpaceCheckOptions,
  diskSpaceCheck,
  diskSpaceProbes,
} from './check.js';
export { classifyMount, SKIP_REASONS } from './classify-mount.js';
export {
  type DfListing,
  type DfRow,
  dfRowsToVolumes,
  parseDf,
  parseDfListing,
} from './df.js';
export { type Forecast, forecastFull } from './forecast.js';
export { type DiskJudgement, judgeDefaults, judgeDiskSpace } from './judge.js';
export { probeLinuxVolumes } from './linux-probe.js';
export type { ProbedVolumes, SkippedVolume } from './types.js';
export { probeWindowsVolumes, WIN32_VOLUME_SCRIPT } from './windows-probe.js';
export {
  parseWindowsVolumes,
  toMonitoredVolumes,
  type WindowsVolumeRecord,
} from './windows-volumes.js';

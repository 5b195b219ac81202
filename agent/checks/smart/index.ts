export { smartCounters } from './counters.js';
export { decodeExitStatus, type SmartExitBits } from './exit-status.js';
export {
  driveSubject,
  judgeSmartAttempts,
  judgeSmartDevice,
  judgeSmartDevices,
  smartJudgeDefaults,
} from './judge.js';
export { parseSmartctlJson } from './parse-json.js';
export { parseSmartctlText } from './parse-text.js';
export {
  createSmartCheck,
  type SmartCheckOptions,
  smartProbeDefaults,
} from './probe.js';
export type * from './types.js';

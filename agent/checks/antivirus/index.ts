export {
  clamavDatabasesIn,
  parseCvdHeader,
  xprotectInstallsIn,
} from './clamav.js';
export { parseWmiDate, type WmiDate } from './dates.js';
export { type AvJudgeOptions, judgeAntivirus } from './judge.js';
export { type AvJudgePolicy, avJudgeDefaults } from './judge-ages.js';
export { defenderFromRecord } from './mp-status.js';
export { parseAntivirus } from './parse.js';
export {
  type ClamavCheckOptions,
  clamavProbeDefaults,
  createClamavCheck,
} from './probe-clamav.js';
export { decodeProductState, type ProductState } from './product-state.js';
export { parseRecords } from './records.js';
export type * from './types.js';
export {
  parseVendorTimestamp,
  productKey,
  VENDOR_SIGNATURE_SOURCES,
  type VendorSignatureSource,
} from './vendor-signatures.js';

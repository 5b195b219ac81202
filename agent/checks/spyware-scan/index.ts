export { createSpywareScanCheck, type SpywareCheckOptions } from './check.js';
export { defenderScript } from './defender.js';
export { scanTypeFor } from './schedule.js';
export { VENDOR_SCANNERS, type VendorScanner } from './vendors.js';

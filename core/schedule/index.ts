export * from './cycle-window.js';
export * from './due-times.js';
export * from './errors.js';
export * from './expression.js';
export * from './jitter.js';
export * from './maintenance-window.js';
export {
  assertTimeZone,
  instantOf,
  isUtcZone,
  offsetAt,
  useZoneOffsetTable,
  type WallTime,
  wallTime,
  type ZoneOffsetTable,
  zoneOffsetTable,
  zoneOffsetTableOf,
} from './zoned-time.js';

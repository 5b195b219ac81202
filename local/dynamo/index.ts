export {
  type DynaliteOptions,
  type RunningDynalite,
  startDynalite,
} from './dynalite.js';
export { createTableInput, ensureTable } from './ensure-table.js';
export { LocalDynamoError } from './errors.js';
export {
  startTtlSweeper,
  TtlSweeper,
  type TtlSweeperOptions,
} from './ttl-sweeper.js';

export { conditionsDefaults, createConditions } from './conditions.js';
export { SCHEDULER_SECTION, StateCycleStore } from './cycle-store.js';
export {
  type CycleMessageOutcome,
  createScheduler,
  type Scheduler,
} from './scheduler.js';
export * from './types.js';

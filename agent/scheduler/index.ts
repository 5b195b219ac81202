export { conditionsDefaults, createConditions } from './conditions.js';
export { SCHEDULER_SECTION, StateCycleStore } from './cycle-store.js';
export { createCycleRun, receiptOf, runnableCycles } from './run-cycle.js';
export {
  type CycleMessageOutcome,
  createScheduler,
  type Scheduler,
} from './scheduler.js';
export { type AgentCyclesOptions, startAgentCycles } from './start-cycles.js';
export * from './types.js';

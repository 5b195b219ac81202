export {
  createRemedyRegistry,
  REMEDY_IMPLEMENTATIONS,
  type RemedyRegistry,
} from './registry.js';
export type {
  AnyRemedy,
  Refusal,
  RemedyContext,
  RemedyImplementation,
  RemedyOutcome,
} from './types.js';

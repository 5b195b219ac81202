export { type CleanupCheckOptions, createCleanupCheck } from './check.js';
export { platformRoots, type RootEnv } from './roots.js';
export {
  CLEANUP_CATEGORIES,
  type CleanupCategory,
  type RootSpec,
} from './types.js';

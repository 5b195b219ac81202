export { createPatchCheck, type PatchCheckOptions } from './check.js';
export { judgePatches } from './judge.js';
export type { PatchState, PendingUpdate } from './types.js';
export { WINDOWS_PATCH_SCRIPT } from './windows-script.js';

export { type CodeClass, codeInfo, HRESULT_CODES } from './codes.js';
export { readEvidence, type WuEvidence } from './evidence.js';
export {
  findHresults,
  type HresultHit,
  hresultOfWin32,
  normalizeHresult,
} from './hresult.js';
export { judgeWindowsUpdate } from './judge.js';

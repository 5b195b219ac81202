export { type DiagnoseIo, runDiagnoseCommand } from './cli.js';
export {
  DIAGNOSE_KINDS,
  type DiagnoseKind,
  detectKind,
  isDiagnoseKind,
} from './detect-kind.js';
export {
  type DiagnoseFinding,
  type DiagnoseOptions,
  type DiagnoseResult,
  diagnose,
} from './diagnose.js';
export { DIAGNOSE_ERROR_CODES, DiagnoseError } from './errors.js';
export { decodeInput } from './input.js';
export { type RemedyPlan, remediesFor } from './remedies.js';

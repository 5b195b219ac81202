import type { CatalogueEntry } from './schema.js';

/**
 * Windows Update findings without an HRESULT of their own: unclassified
 * codes and the WUA OperationResultCodes tools print.
 */
const RESULT_CODES =
  'https://learn.microsoft.com/windows/win32/api/wuapi/ne-wuapi-operationresultcode';
const WU_REFERENCE =
  'https://learn.microsoft.com/windows/deployment/update/windows-update-error-reference';

const step = (remedy: string) => ({ remedy, params: {} });

interface Spec {
  code: string;
  severity: CatalogueEntry['severity'];
  title: string;
  meaning: string;
  steps: CatalogueEntry['remedies'][string];
  source?: string;
}

const SPECS: Spec[] = [
  {
    code: 'wu.unknown-error',
    severity: 'warning',
    title: 'Windows Update error not in the catalogue',
    meaning:
      'An HRESULT this catalogue does not know. The code is kept on the ' +
      'finding and scored as a warning until it is classified.',
    steps: [step('rerun-check'), step('repair-ticket')],
  },
  {
    code: 'wu.update-failed',
    severity: 'warning',
    title: 'An update failed (result code 4)',
    meaning: 'OperationResultCode 4 (Failed) without an HRESULT in the output.',
    steps: [step('rerun-check'), step('repair-ticket')],
    source: RESULT_CODES,
  },
  {
    code: 'wu.update-partial',
    severity: 'warning',
    title: 'Updates succeeded with errors (result code 3)',
    meaning: 'OperationResultCode 3 (SucceededWithErrors).',
    steps: [step('rerun-check')],
    source: RESULT_CODES,
  },
  {
    code: 'wu.update-aborted',
    severity: 'info',
    title: 'Update operation aborted (result code 5)',
    meaning: 'OperationResultCode 5 (Aborted), usually by a restart or user.',
    steps: [step('retry-update')],
    source: RESULT_CODES,
  },
  {
    code: 'wu.no-evidence',
    severity: 'info',
    title: 'No Windows Update result in the output',
    meaning:
      'The output holds neither an error nor a success result: patch status ' +
      'is unknown, never compliant.',
    steps: [step('rerun-check')],
    source: RESULT_CODES,
  },
];

export const WU_RESULT_ENTRIES: CatalogueEntry[] = SPECS.map(
  (s): CatalogueEntry => ({
    code: s.code,
    title: s.title,
    meaning: s.meaning,
    severity: s.severity,
    source: s.source ?? WU_REFERENCE,
    remedies: s.steps.length > 0 ? { 'windows-update': s.steps } : {},
  }),
);

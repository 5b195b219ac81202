/**
 * How each known HRESULT is read. `corruption` explains every failure after
 * it; a `wrapper` only says that something underneath failed, so a cause
 * beside it wins; a `cause` is specific on its own.
 */
export type CodeClass = 'corruption' | 'wrapper' | 'cause';

export interface CodeInfo {
  code: string;
  class: CodeClass;
}

export const HRESULT_CODES: Readonly<Record<string, CodeInfo>> = {
  '0x80070002': { code: 'wu.file-not-found', class: 'cause' },
  '0x80070003': { code: 'wu.path-not-found', class: 'cause' },
  '0x80070005': { code: 'wu.access-denied', class: 'cause' },
  '0x8007000D': { code: 'wu.invalid-data', class: 'cause' },
  '0x80070070': { code: 'wu.disk-full', class: 'cause' },
  '0x80070422': { code: 'wu.service-disabled', class: 'cause' },
  '0x80070424': { code: 'wu.service-missing', class: 'cause' },
  '0x800705B4': { code: 'wu.timeout', class: 'cause' },
  '0x80070643': { code: 'wu.install-failure', class: 'wrapper' },
  '0x80073712': { code: 'wu.component-store-corrupt', class: 'corruption' },
  '0x800F0831': { code: 'wu.store-corruption', class: 'corruption' },
  '0x800F081F': { code: 'wu.source-missing', class: 'cause' },
  '0x800F0922': { code: 'wu.installers-failed', class: 'wrapper' },
  '0x8024402C': { code: 'wu.proxy-name-not-resolved', class: 'cause' },
  '0x80072EE2': { code: 'wu.server-timeout', class: 'cause' },
  '0x80240034': { code: 'wu.download-failed', class: 'wrapper' },
  '0x8024001E': { code: 'wu.service-shutdown', class: 'cause' },
  '0x80240022': { code: 'wu.all-updates-failed', class: 'wrapper' },
  '0x80240024': { code: 'wu.no-updates', class: 'cause' },
  '0x80244022': { code: 'wu.server-unavailable', class: 'cause' },
  '0x80246007': { code: 'wu.not-downloaded', class: 'cause' },
  '0x8024A105': { code: 'wu.agent-error', class: 'cause' },
  '0x80242016': { code: 'wu.post-reboot-unexpected', class: 'cause' },
  // E_FAIL says only that something failed.
  '0x80004005': { code: 'wu.unknown-error', class: 'wrapper' },
};

/** Unknown codes are kept and scored conservatively as a cause. */
export function codeInfo(hresult: string): CodeInfo {
  return HRESULT_CODES[hresult] ?? { code: 'wu.unknown-error', class: 'cause' };
}

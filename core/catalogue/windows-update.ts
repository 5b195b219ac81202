import type { CatalogueEntry } from './schema.js';
import { WU_RESULT_ENTRIES } from './windows-update-results.js';

const LEARN = 'https://learn.microsoft.com';
const TROUBLESHOOT = `${LEARN}/troubleshoot`;
const SERVER_UPDATES = `${TROUBLESHOOT}/windows-server/installing-updates-features-roles`;
const WU_REFERENCE = `${LEARN}/windows/deployment/update/windows-update-error-reference`;
const WU_COMMON = `${LEARN}/windows/deployment/update/windows-update-errors`;
const WIN32_ERRORS = `${LEARN}/windows/win32/debug/system-error-codes`;
const DISM_REPAIR = `${LEARN}/windows-hardware/manufacture/desktop/repair-a-windows-image`;
const IN_PLACE =
  `${TROUBLESHOOT}/azure/virtual-machines/windows/` +
  'windows-update-errors-requiring-in-place-upgrade';
const ERR_0922 = `${SERVER_UPDATES}/error-0x800f0922-installing-windows-updates`;
const ERR_0070 = `${SERVER_UPDATES}/troubleshoot-windows-update-error-0x80070070`;

type Steps = CatalogueEntry['remedies'][string];

const step = (remedy: string, params: Record<string, unknown> = {}) => ({
  remedy,
  params,
});

const RESET = [
  step('retry-update'),
  step('reset-wu-components'),
  step('retry-update'),
];
const REPAIR_STORE = [
  step('dism-restore-health'),
  step('sfc-scannow'),
  step('retry-update'),
  step('dism-restore-health', { source: 'matching-build-iso' }),
  step('repair-install-ticket'),
];
/** Connectivity: configuration and network, never client repair. */
const CONNECTIVITY = [
  step('rerun-check'),
  step('check-wu-server-policy'),
  step('check-dns'),
  step('check-winhttp-proxy'),
  step('network-ticket', { ports: [8530, 8531] }),
];

interface Spec {
  code: string;
  hresult?: string;
  severity: CatalogueEntry['severity'];
  title: string;
  meaning: string;
  steps: Steps;
  source?: string;
}

const entry = (s: Spec): CatalogueEntry => ({
  code: s.code,
  title: s.title,
  meaning: s.meaning,
  severity: s.severity,
  source: s.source ?? WU_REFERENCE,
  ...(s.hresult ? { hresult: s.hresult } : {}),
  remedies: s.steps.length > 0 ? { 'windows-update': s.steps } : {},
});

const SPECS: Spec[] = [
  {
    code: 'wu.file-not-found',
    hresult: '0x80070002',
    severity: 'warning',
    title: 'Windows Update could not find a file (0x80070002)',
    meaning:
      'ERROR_FILE_NOT_FOUND outside an installer: a file in the update ' +
      'cache is missing. Inside CBS WER flag lookups it is harmless and ' +
      'ignored.',
    steps: RESET,
    source: WIN32_ERRORS,
  },
  {
    code: 'wu.path-not-found',
    hresult: '0x80070003',
    severity: 'warning',
    title: 'Windows Update could not find a path (0x80070003)',
    meaning: 'ERROR_PATH_NOT_FOUND: a folder of the update cache is missing.',
    steps: RESET,
    source: WIN32_ERRORS,
  },
  {
    code: 'wu.access-denied',
    hresult: '0x80070005',
    severity: 'warning',
    title: 'Windows Update was denied access (0x80070005)',
    meaning:
      'E_ACCESSDENIED: the operation ran without the rights it needs, or ' +
      'security software or permissions block the update cache.',
    steps: [
      step('rerun-check', { as: 'system' }),
      step('reset-wu-components'),
      step('repair-ticket'),
    ],
    source: WU_COMMON,
  },
  {
    code: 'wu.invalid-data',
    hresult: '0x8007000D',
    severity: 'warning',
    title: 'Windows Update found invalid data (0x8007000D)',
    meaning: 'ERROR_INVALID_DATA: a downloaded file or the data store is bad.',
    steps: [...RESET, step('dism-restore-health')],
    source: WIN32_ERRORS,
  },
  {
    code: 'wu.disk-full',
    hresult: '0x80070070',
    severity: 'warning',
    title: 'Not enough disk space for Windows Update (0x80070070)',
    meaning:
      'ERROR_DISK_FULL while downloading or staging. Windows Update needs ' +
      'absolute space (Microsoft advises 20 GB free on the OS disk), which a ' +
      'percent-free check can miss.',
    steps: [
      step('cleanup'),
      step('free-space-for-wu', { minFreeBytes: 20 * 1024 ** 3 }),
      step('retry-update'),
    ],
    source: ERR_0070,
  },
  {
    code: 'wu.service-disabled',
    hresult: '0x80070422',
    severity: 'critical',
    title: 'Windows Update service is disabled or cannot start',
    meaning:
      'ERROR_SERVICE_DISABLED (Win32 1058): wuauserv is disabled, so no ' +
      'scan can run. Patch status is unknown, never "0 pending".',
    steps: [
      step('set-service-startup', { service: 'wuauserv', startup: 'manual' }),
      step('start-service', { service: 'wuauserv' }),
      step('check-wu-policy-ticket', { services: ['UsoSvc', 'WaaSMedicSvc'] }),
      step('rerun-check'),
    ],
    source: WU_COMMON,
  },
  {
    code: 'wu.service-missing',
    hresult: '0x80070424',
    severity: 'critical',
    title: 'A Windows Update service is not installed',
    meaning:
      'ERROR_SERVICE_DOES_NOT_EXIST (Win32 1060): a tool deleted the ' +
      'service. Starting it cannot work; a repair install restores it.',
    steps: [step('repair-install-ticket')],
    source: WIN32_ERRORS,
  },
  {
    code: 'wu.timeout',
    hresult: '0x800705B4',
    severity: 'warning',
    title: 'Windows Update operation timed out (0x800705B4)',
    meaning: 'ERROR_TIMEOUT: the operation did not finish in time.',
    steps: RESET,
    source: WIN32_ERRORS,
  },
  {
    code: 'wu.install-failure',
    hresult: '0x80070643',
    severity: 'warning',
    title: 'An update installer failed (0x80070643)',
    meaning:
      'ERROR_INSTALL_FAILURE is the generic fatal error of an installer; ' +
      'the cause is in the installer, not in Windows Update.',
    steps: [step('retry-update'), step('repair-ticket')],
    source: WU_COMMON,
  },
  {
    code: 'wu.winre-partition-too-small',
    hresult: '0x80070643',
    severity: 'warning',
    title: 'WinRE update fails: recovery partition too small',
    meaning:
      'A WinRE update (KB5034441 and kin) fails with 0x80070643 when the ' +
      'recovery partition has less than about 250 MB free; every retry ' +
      'fails again. Resetting Windows Update does not help.',
    steps: [
      step('stop-update-retry'),
      step('resize-winre-partition-ticket', { minFreeBytes: 250 * 1024 ** 2 }),
      step('hide-update'),
    ],
    source: 'https://support.microsoft.com/help/5028997',
  },
  {
    code: 'wu.component-store-corrupt',
    hresult: '0x80073712',
    severity: 'critical',
    title: 'Component store is corrupt (0x80073712)',
    meaning:
      'ERROR_SXS_COMPONENT_STORE_CORRUPT: servicing is broken until the ' +
      'store is repaired. Downloading again does not fix it.',
    steps: REPAIR_STORE,
    source: IN_PLACE,
  },
  {
    code: 'wu.store-corruption',
    hresult: '0x800F0831',
    severity: 'critical',
    title: 'Component store corruption (0x800F0831)',
    meaning:
      'CBS_E_STORE_CORRUPTION: a package the update builds on is missing ' +
      'or damaged in the component store.',
    steps: REPAIR_STORE,
    source: DISM_REPAIR,
  },
  {
    code: 'wu.source-missing',
    hresult: '0x800F081F',
    severity: 'warning',
    title: 'Repair source files not found (0x800F081F)',
    meaning:
      'CBS_E_SOURCE_MISSING: the files needed to repair or add a feature ' +
      'were not available from Windows Update or the configured source.',
    steps: [
      step('dism-restore-health', { source: 'matching-build-iso' }),
      step('repair-install-ticket'),
    ],
    source: DISM_REPAIR,
  },
  {
    code: 'wu.installers-failed',
    hresult: '0x800F0922',
    severity: 'warning',
    title: 'Advanced installers failed; update rolled back (0x800F0922)',
    meaning:
      'CBS_E_INSTALLERS_FAILED is a wrapper. Used only when the log does ' +
      'not show which installer failed first; check the EFI and System ' +
      'Reserved partitions and C:\\Windows\\Temp, then look at CBS.log.',
    steps: [
      step('check-system-partition-space'),
      step('retry-update'),
      step('repair-ticket'),
    ],
    source: ERR_0922,
  },
  {
    code: 'wu.task-registration-failed',
    severity: 'warning',
    title: 'Update rolled back: a scheduled task could not be registered',
    meaning:
      'The Task Scheduler advanced installer failed first (RegisterTask) ' +
      'and CBS rolled the update back with 0x800F0922. The task cache entry ' +
      'of that task is corrupt. Partition resizing or VPN changes do nothing.',
    steps: [
      step('remove-staged-package'),
      step('repair-task-cache'),
      step('retry-update'),
    ],
    source: ERR_0922,
  },
  {
    code: 'wu.advanced-installer-failed',
    severity: 'warning',
    title: 'Update rolled back: an advanced installer failed',
    meaning:
      'An advanced installer failed first and CBS rolled the update back ' +
      '(0x800F0922). The finding carries the installer and its own error.',
    steps: [
      step('remove-staged-package'),
      step('retry-update'),
      step('repair-ticket'),
    ],
    source: ERR_0922,
  },
  {
    code: 'wu.proxy-name-not-resolved',
    hresult: '0x8024402C',
    severity: 'warning',
    title: 'Update server or proxy name does not resolve (0x8024402C)',
    meaning:
      'WU_E_PT_WINHTTP_NAME_NOT_RESOLVED: configuration or DNS, not client ' +
      'damage. Windows Update uses the WinHTTP proxy, not the browser proxy.',
    steps: CONNECTIVITY,
  },
  {
    code: 'wu.server-timeout',
    hresult: '0x80072EE2',
    severity: 'warning',
    title: 'Connection to the update server timed out (0x80072EE2)',
    meaning:
      'WININET_E_TIMEOUT talking to Windows Update or WSUS. Re-test before ' +
      'escalating: transient outages clear on their own.',
    steps: CONNECTIVITY,
  },
  {
    code: 'wu.download-failed',
    hresult: '0x80240034',
    severity: 'warning',
    title: 'Update failed to download (0x80240034)',
    meaning: 'WU_E_DOWNLOAD_FAILED: the download did not complete.',
    steps: RESET,
  },
  {
    code: 'wu.service-shutdown',
    hresult: '0x8024001E',
    severity: 'info',
    title: 'Update interrupted by a service or system shutdown (0x8024001E)',
    meaning:
      'WU_E_SERVICE_STOP: the operation stopped because the service or the ' +
      'system was shutting down. A retry normally succeeds.',
    steps: [step('retry-update')],
  },
  {
    code: 'wu.all-updates-failed',
    hresult: '0x80240022',
    severity: 'warning',
    title: 'Every update in the operation failed (0x80240022)',
    meaning:
      'WU_E_ALL_UPDATES_FAILED is a summary; the per-update errors carry ' +
      'the cause.',
    steps: [step('rerun-check'), step('repair-ticket')],
  },
  {
    code: 'wu.no-updates',
    hresult: '0x80240024',
    severity: 'info',
    title: 'Scan found no applicable updates (0x80240024)',
    meaning: 'WU_E_NO_UPDATE after a scan: nothing to install. Not a failure.',
    steps: [],
  },
  {
    code: 'wu.install-nothing-applicable',
    hresult: '0x80240024',
    severity: 'warning',
    title: 'Install requested but no update applied (0x80240024)',
    meaning:
      'WU_E_NO_UPDATE after an install request: the approved update is not ' +
      'applicable (superseded, already installed, wrong edition).',
    steps: [step('rerun-check'), step('check-wu-approvals-ticket')],
  },
  {
    code: 'wu.server-unavailable',
    hresult: '0x80244022',
    severity: 'warning',
    title: 'Update server temporarily unavailable (0x80244022)',
    meaning:
      'WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL (HTTP 503): the server is ' +
      'overloaded or its application pool stopped.',
    steps: [step('rerun-check'), step('wsus-server-ticket')],
  },
  {
    code: 'wu.not-downloaded',
    hresult: '0x80246007',
    severity: 'warning',
    title: 'Update was not downloaded (0x80246007)',
    meaning: 'WU_E_DM_NOTDOWNLOADED: install was attempted before download.',
    steps: RESET,
  },
  {
    code: 'wu.agent-error',
    hresult: '0x8024A105',
    severity: 'warning',
    title: 'Windows Update agent error (0x8024A105)',
    meaning:
      'A code of the Automatic Updates range that Microsoft does not ' +
      'document; scored conservatively as a client fault.',
    steps: RESET,
  },
  {
    code: 'wu.post-reboot-unexpected',
    hresult: '0x80242016',
    severity: 'warning',
    title: 'Update in an unexpected state after restart (0x80242016)',
    meaning:
      'WU_E_UH_POSTREBOOTUNEXPECTEDSTATE: the post-reboot step left the ' +
      'update in a state Windows Update did not expect.',
    steps: [step('schedule-reboot'), ...RESET],
  },
];

export const WINDOWS_UPDATE_ENTRIES: CatalogueEntry[] = [
  ...SPECS.map(entry),
  ...WU_RESULT_ENTRIES,
];

import type { CatalogueEntry } from './schema.js';

type RemedyStep = CatalogueEntry['remedies'][string][number];

const MP_STATUS =
  'https://learn.microsoft.com/powershell/module/defender/get-mpcomputerstatus';
const DEFENDER_UPDATES =
  'https://learn.microsoft.com/defender-endpoint/microsoft-defender-antivirus-updates';
const DEFENDER_COMPAT =
  'https://learn.microsoft.com/defender-endpoint/microsoft-defender-antivirus-compatibility';
const WSC =
  'https://learn.microsoft.com/windows/win32/api/wscapi/ne-wscapi-wsc_security_provider';

const step = (remedy: string, params: Record<string, unknown> = {}) => ({
  remedy,
  params,
});

/** Vendors whose console owns updates; the agent asks, then escalates. */
const THIRD_PARTY = [
  'sophos',
  'eset',
  'webroot',
  'bitdefender',
  'kaspersky',
  'trend-micro',
] as const;

function perVendor(make: (product: string) => RemedyStep[]) {
  return Object.fromEntries(THIRD_PARTY.map((p) => [p, make(p)]));
}

const updateSignatures = {
  defender: [
    step('update-av-signatures', { product: 'defender' }),
    step('approve-defender-updates-ticket', {
      kbs: ['KB2267602', 'KB4052623'],
    }),
    step('update-defender-platform'),
  ],
  ...perVendor((product) => [
    step('update-av-signatures', { product }),
    step('vendor-console-ticket', { product }),
  ]),
  clamav: [
    step('update-av-signatures', { product: 'clamav' }),
    step('start-service', { service: 'clamav-freshclam' }),
  ],
  xprotect: [step('update-av-signatures', { product: 'xprotect' })],
  any: [step('rerun-check'), step('vendor-console-ticket')],
};

const enableProduct = {
  defender: [
    step('start-service', { service: 'WinDefend' }),
    step('enable-realtime-protection', { product: 'defender' }),
  ],
  ...perVendor((product) => [step('vendor-console-ticket', { product })]),
  clamav: [step('start-service', { service: 'clamav-daemon' })],
  any: [step('install-av-ticket')],
};

export const ANTIVIRUS_ENTRIES: CatalogueEntry[] = [
  {
    code: 'av.definitions-stale',
    title: 'Antivirus definitions older than policy',
    meaning:
      "The active product's signatures are older than the policy allows " +
      '(age from the product itself, never from a sentinel such as 65535).',
    severity: 'warning',
    source: DEFENDER_UPDATES,
    remedies: updateSignatures,
  },
  {
    code: 'av.definitions-never-updated',
    title: 'Antivirus definitions were never updated',
    meaning:
      'The active engine reports a "never" sentinel (65535 days, a 1601 ' +
      'date) for its signatures while it is meant to protect the device.',
    severity: 'critical',
    source: MP_STATUS,
    remedies: updateSignatures,
  },
  {
    code: 'av.product-missing',
    title: 'No antivirus product installed',
    meaning: 'No antivirus product is registered or installed on the device.',
    severity: 'critical',
    source: WSC,
    remedies: {
      apt: [
        step('apt-install', { package: 'clamav' }),
        step('apt-install', { package: 'clamav-freshclam' }),
      ],
      defender: [step('enable-defender')],
      any: [step('install-av-ticket')],
    },
  },
  {
    code: 'av.no-active-protection',
    title: 'No antivirus product is actively protecting the device',
    meaning:
      'Products are registered but none has its scanner on: Defender is ' +
      'passive or stopped and no third-party product reports itself on.',
    severity: 'critical',
    source: WSC,
    remedies: enableProduct,
  },
  {
    code: 'av.protection-disabled',
    title: 'Antivirus protection is turned off',
    meaning:
      'The product that should protect the device reports its scanner or ' +
      'antivirus component off.',
    severity: 'critical',
    source: MP_STATUS,
    remedies: enableProduct,
  },
  {
    code: 'av.realtime-disabled',
    title: 'Real-time protection is off',
    meaning:
      'The active engine runs, but on-access (real-time) scanning is off.',
    severity: 'critical',
    source: MP_STATUS,
    remedies: {
      defender: [step('enable-realtime-protection', { product: 'defender' })],
      ...perVendor((product) => [step('vendor-console-ticket', { product })]),
    },
  },
  {
    code: 'av.service-stopped',
    title: 'Antivirus service is not running',
    meaning: "The product's service is disabled or stopped.",
    severity: 'critical',
    source: MP_STATUS,
    remedies: {
      defender: [step('start-service', { service: 'WinDefend' })],
      clamav: [step('start-service', { service: 'clamav-daemon' })],
      any: [step('vendor-console-ticket')],
    },
  },
  {
    code: 'av.engine-not-loaded',
    title: 'Antivirus engine not loaded',
    meaning:
      'The engine version reads 0.0.0.0 while the product should be active: ' +
      'the engine failed to load.',
    severity: 'critical',
    source: MP_STATUS,
    remedies: {
      defender: [
        step('start-service', { service: 'WinDefend' }),
        step('update-defender-platform'),
      ],
    },
  },
  {
    code: 'av.multiple-active',
    title: 'Two antivirus products active at once',
    meaning:
      'More than one product reports its real-time scanner on. They fight ' +
      'over file access: slow machine, failed scans, missed detections.',
    severity: 'warning',
    source: DEFENDER_COMPAT,
    remedies: { any: [step('remove-conflicting-av-ticket')] },
  },
  {
    code: 'av.defender-inactive',
    title: 'Defender is not running; another product is expected to protect',
    meaning:
      'AMRunningMode "Not running" and engine 0.0.0.0: Defender stepped ' +
      'aside for a third-party product. Its sentinel ages (65535, ' +
      '4294967295) mean never, not an age. Judge the third-party product ' +
      'from its SecurityCenter2 entry.',
    severity: 'info',
    source: DEFENDER_COMPAT,
    remedies: {},
  },
  {
    code: 'av.defender-passive',
    title: 'Defender runs in passive mode',
    meaning:
      'Passive, SxS passive or EDR block mode: Defender does not provide ' +
      'real-time protection although its toggles read True.',
    severity: 'info',
    source: DEFENDER_COMPAT,
    remedies: {},
  },
  {
    code: 'av.securitycenter-missing',
    title: 'SecurityCenter2 is not available',
    meaning:
      'root/SecurityCenter2 does not exist (Windows Server, or broken WMI), ' +
      'so third-party products cannot be confirmed from WMI. It does not ' +
      'mean "no antivirus".',
    severity: 'info',
    source: WSC,
    remedies: { any: [step('confirm-av-with-vendor-tool-ticket')] },
  },
  {
    code: 'av.protection-unconfirmed',
    title: 'Active antivirus product cannot be confirmed',
    meaning:
      'Defender is not active and no other source (SecurityCenter2, vendor ' +
      'status) is available: protection is unknown, never ok.',
    severity: 'info',
    source: WSC,
    remedies: {
      any: [step('confirm-av-with-vendor-tool-ticket'), step('rerun-check')],
    },
  },
  {
    code: 'av.platform-outdated',
    title: 'Defender platform version is old',
    meaning:
      'The antimalware platform (4.18.YYMM.x) is more than a year old: ' +
      'platform updates (KB4052623) are not reaching the device.',
    severity: 'warning',
    source: DEFENDER_UPDATES,
    remedies: { defender: [step('update-defender-platform')] },
  },
  {
    code: 'av.quick-scan-overdue',
    title: 'No recent quick scan',
    meaning:
      'The last quick scan is older than policy, or never ran (4294967295).',
    severity: 'warning',
    source: MP_STATUS,
    remedies: {
      defender: [step('run-quick-scan', { product: 'defender' })],
      clamav: [step('run-quick-scan', { product: 'clamav' })],
    },
  },
  {
    code: 'av.full-scan-overdue',
    title: 'No recent full scan',
    meaning: 'The last full scan is older than policy, or never ran.',
    severity: 'info',
    source: MP_STATUS,
    remedies: {
      defender: [step('run-full-scan', { product: 'defender' })],
      clamav: [step('run-full-scan', { product: 'clamav' })],
    },
  },
];

import type { CatalogueEntry } from './schema.js';

const PATCH_DOCS = 'docs/checks.md#patch-assessment';
const WU_ERRORS =
  'https://learn.microsoft.com/windows/deployment/update/windows-update-errors';

export const PATCH_ENTRIES: CatalogueEntry[] = [
  {
    code: 'patch.security-missing',
    title: 'Security updates are missing',
    meaning:
      'Updates from a security source (an apt `*-security` suite, or a ' +
      'Windows update classified Security or Critical) are available and ' +
      'not installed. Critical when many are missing, an old one is still ' +
      'missing, or Microsoft rates one Critical.',
    severity: 'warning',
    source: PATCH_DOCS,
    remedies: {},
  },
  {
    code: 'patch.updates-missing',
    title: 'Non-security updates are pending',
    meaning:
      'Updates without a security origin are available. They are counted ' +
      'for compliance but do not need urgent action.',
    severity: 'info',
    source: PATCH_DOCS,
    remedies: {},
  },
  {
    code: 'patch.status-unknown',
    title: 'Patch status cannot be determined',
    meaning:
      'The update search could not run: the Windows Update service is ' +
      'disabled or deleted, or the package manager failed. The number of ' +
      'missing updates is unknown, never zero. A disabled wuauserv makes ' +
      'the search fail with 0x80070422; set it back to Manual. A deleted ' +
      'service needs a repair install.',
    severity: 'critical',
    source: WU_ERRORS,
    hresult: '0x80070422',
    remedies: {},
  },
  {
    code: 'patch.apt-locked',
    title: 'The package manager is locked',
    meaning:
      'Another apt or dpkg process holds the lock; the assessment is ' +
      'unknown for this run and is retried at the next cycle.',
    severity: 'warning',
    source: PATCH_DOCS,
    remedies: {},
  },
  {
    code: 'patch.apt-broken',
    title: 'The package manager needs repair',
    meaning:
      'dpkg was interrupted or dependencies are broken; no update can be ' +
      'installed until `dpkg --configure -a` or `apt-get -f install` runs.',
    severity: 'critical',
    source: PATCH_DOCS,
    remedies: {},
  },
  {
    code: 'patch.lists-stale',
    title: 'Package lists are out of date',
    meaning:
      'The package index was last refreshed longer ago than the policy ' +
      'allows, so newer updates are not seen: the missing count is a floor.',
    severity: 'warning',
    source: PATCH_DOCS,
    remedies: {},
  },
  {
    code: 'patch.reboot-pending',
    title: 'Installed updates wait for a restart',
    meaning:
      'Updates are installed but take effect only after a restart; the ' +
      'device stays exposed until then.',
    severity: 'info',
    source: PATCH_DOCS,
    remedies: {},
  },
];

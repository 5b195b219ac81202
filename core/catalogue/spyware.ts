import type { CatalogueEntry } from './schema.js';

const SPYWARE_DOCS = 'docs/checks.md#spyware-scan';

export const SPYWARE_ENTRIES: CatalogueEntry[] = [
  {
    code: 'spyware.threats-found',
    title: 'The scan found threats',
    meaning:
      'The anti-spyware scan reported infected files or active threats. ' +
      'The finding names the first threats and the product.',
    severity: 'critical',
    source: SPYWARE_DOCS,
    remedies: {},
  },
  {
    code: 'spyware.scanner-missing',
    title: 'No scanner for the selected product',
    meaning:
      "The selected product's command-line scanner is not installed or " +
      'not on the path; no scan ran and the state is unknown.',
    severity: 'info',
    source: SPYWARE_DOCS,
    remedies: {},
  },
  {
    code: 'spyware.scan-failed',
    title: 'The scan did not complete',
    meaning:
      'The scanner ran but reported an error (no signature database, ' +
      'unreadable paths, a service that is not running) or timed out. The ' +
      'finding carries the command and exit status.',
    severity: 'warning',
    source: SPYWARE_DOCS,
    remedies: {},
  },
  {
    code: 'spyware.scan-deferred',
    title: 'The full scan waits for mains power',
    meaning:
      'A full scan was due but the device runs on battery; it runs at the ' +
      'next cycle on mains power.',
    severity: 'info',
    source: SPYWARE_DOCS,
    remedies: {},
  },
  {
    code: 'spyware.product-unsupported',
    title: 'The selected product cannot be driven from the command line',
    meaning:
      'The product has no scanner command the agent knows how to judge; ' +
      "the scan result must be read from the vendor's console.",
    severity: 'info',
    source: SPYWARE_DOCS,
    remedies: {},
  },
];

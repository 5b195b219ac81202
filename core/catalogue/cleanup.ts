import type { CatalogueEntry } from './schema.js';

/** The cleanup's rules are ours; docs/checks.md describes them. */
const CLEANUP_DOCS = 'docs/checks.md#cleanup';

export const CLEANUP_ENTRIES: CatalogueEntry[] = [
  {
    code: 'cleanup.root-refused',
    title: 'A cleanup root was refused',
    meaning:
      'A temp or cache root is itself a symbolic link, junction or mount ' +
      'point, or resolves outside where it should be. Nothing under it was ' +
      'touched. A root that is a link usually means a tool redirected the ' +
      'folder; check where it points before cleaning it by hand.',
    severity: 'info',
    source: CLEANUP_DOCS,
    remedies: {},
  },
  {
    code: 'cleanup.outside-root',
    title: 'A path under a cleanup root resolved outside it',
    meaning:
      'A candidate file resolved, through a link or a rename during the ' +
      'walk, to a place outside its root. It was refused, not deleted.',
    severity: 'warning',
    source: CLEANUP_DOCS,
    remedies: {},
  },
  {
    code: 'cleanup.delete-failed',
    title: 'Some eligible files could not be deleted',
    meaning:
      'Files that were old enough could not be removed for a reason other ' +
      'than being in use (permissions, read-only media). The bytes stay on ' +
      'the disk; the finding carries the first errors.',
    severity: 'warning',
    source: CLEANUP_DOCS,
    remedies: {},
  },
  {
    code: 'cleanup.manifest-failed',
    title: 'The cleanup manifest could not be written',
    meaning:
      'The run could not write its manifest of deleted files, so it ' +
      'stopped before deleting anything.',
    severity: 'warning',
    source: CLEANUP_DOCS,
    remedies: {},
  },
  {
    code: 'cleanup.update-in-flight',
    title: 'Windows Update download cache kept: an update is in flight',
    meaning:
      'SoftwareDistribution\\Download was skipped because Windows Update is ' +
      'downloading or installing; deleting it now would break the update.',
    severity: 'info',
    source: CLEANUP_DOCS,
    remedies: {},
  },
];

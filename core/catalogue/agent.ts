import type { CatalogueEntry } from './schema.js';

/** Our own faults are documented in the repository, not by a vendor. */
const AGENT_DOCS = 'docs/agent.md';

/** Faults of the agent itself: a probe that failed, hung or said nonsense. */
export const AGENT_ENTRIES: CatalogueEntry[] = [
  {
    code: 'agent.probe-failed',
    title: 'A check could not collect its data',
    meaning:
      'The command or system call behind a check failed; the check result ' +
      'is unknown. The finding carries the command and its exit status.',
    severity: 'warning',
    source: AGENT_DOCS,
    remedies: {},
  },
  {
    code: 'agent.probe-timeout',
    title: 'A check timed out',
    meaning: 'The probe did not finish within its time limit and was ended.',
    severity: 'warning',
    source: AGENT_DOCS,
    remedies: {},
  },
  {
    code: 'agent.output-unparsed',
    title: 'A check could not read the output it got',
    meaning:
      'The probe ran but its output did not have the expected form; the ' +
      'check result is unknown.',
    severity: 'warning',
    source: AGENT_DOCS,
    remedies: {},
  },
];

import { readFileSync } from 'node:fs';

/** The recorded real inputs under fixtures/cases (see their provenance). */
const CASES = new URL('../../fixtures/cases/', import.meta.url);

export function readCase(name: string) {
  return readFileSync(new URL(name, CASES), 'utf8');
}

/**
 * The sections of a case file that records several machines, split at the
 * `### machine` lines the file carries.
 */
export function machineSections(text: string) {
  return text
    .split(/^### machine /m)
    .slice(1)
    .map((section) => `### machine ${section}`);
}

/** A case without the `### ` provenance lines, as the tool printed it. */
export function withoutNotes(text: string) {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('### '))
    .join('\n');
}

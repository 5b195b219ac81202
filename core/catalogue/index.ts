import { AGENT_ENTRIES } from './agent.js';
import { DISK_ENTRIES } from './disk.js';
import { type CatalogueEntry, catalogueEntrySchema } from './schema.js';

export { type CatalogueEntry, catalogueEntrySchema } from './schema.js';

/** Every finding code the platform knows, validated once at load. */
export const CATALOGUE: ReadonlyMap<string, CatalogueEntry> = new Map(
  [...DISK_ENTRIES, ...AGENT_ENTRIES].map((entry) => {
    const parsed = catalogueEntrySchema.parse(entry);
    return [parsed.code, parsed];
  }),
);

export function catalogueEntry(code: string): CatalogueEntry | undefined {
  return CATALOGUE.get(code);
}

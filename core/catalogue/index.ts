import { AGENT_ENTRIES } from './agent.js';
import { ANTIVIRUS_ENTRIES } from './antivirus.js';
import { CLEANUP_ENTRIES } from './cleanup.js';
import { DISK_ENTRIES } from './disk.js';
import { MAINTENANCE_ENTRIES } from './maintenance.js';
import { PATCH_ENTRIES } from './patches.js';
import { type CatalogueEntry, catalogueEntrySchema } from './schema.js';
import { SMART_ENTRIES } from './smart.js';
import { SPYWARE_ENTRIES } from './spyware.js';
import { WINDOWS_UPDATE_ENTRIES } from './windows-update.js';

export { type CatalogueEntry, catalogueEntrySchema } from './schema.js';

/** Every finding code the platform knows, validated once at load. */
export const CATALOGUE: ReadonlyMap<string, CatalogueEntry> = new Map(
  [
    ...DISK_ENTRIES,
    ...AGENT_ENTRIES,
    ...MAINTENANCE_ENTRIES,
    ...CLEANUP_ENTRIES,
    ...PATCH_ENTRIES,
    ...SPYWARE_ENTRIES,
    ...SMART_ENTRIES,
    ...ANTIVIRUS_ENTRIES,
    ...WINDOWS_UPDATE_ENTRIES,
  ].map((entry) => {
    const parsed = catalogueEntrySchema.parse(entry);
    return [parsed.code, parsed];
  }),
);

export function catalogueEntry(code: string): CatalogueEntry | undefined {
  return CATALOGUE.get(code);
}

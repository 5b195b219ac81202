/**
 * Writes docs/openapi.json from the API's route tables and the core zod
 * schemas: `npx tsx scripts/openapi.ts`. lambdas/api/openapi.test.ts fails
 * while the committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiDocumentText } from '../lambdas/api/openapi-file.js';

const target = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));
writeFileSync(target, await openApiDocumentText());
process.stdout.write(`wrote ${target}\n`);

import { buildOpenApiDocument } from './openapi.js';
import { loadRoutes } from './routes.js';

/** docs/openapi.json as scripts/openapi.ts writes it. */
export async function openApiDocumentText() {
  const document = buildOpenApiDocument(await loadRoutes());
  return `${JSON.stringify(document, null, 2)}\n`;
}

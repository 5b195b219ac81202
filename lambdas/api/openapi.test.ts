import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { openApiDocumentText } from './openapi-file.js';
import { loadRoutes } from './routes.js';

const committed = () =>
  readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8');

describe('docs/openapi.json', () => {
  it('is what scripts/openapi.ts writes from the route tables', async () => {
    const generated = await openApiDocumentText();

    // On failure: run `npx tsx scripts/openapi.ts` and commit the file.
    expect(JSON.parse(committed())).toEqual(JSON.parse(generated));
  });

  it('documents every route with its responses and the common errors', async () => {
    const document = JSON.parse(committed());
    const routes = await loadRoutes();

    for (const route of routes) {
      const op = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(op?.operationId, `${route.method} ${route.path}`).toBe(
        route.operationId,
      );
      if (!route.public) {
        expect(Object.keys(op.responses)).toEqual(
          expect.arrayContaining(['400', '401', '403', '404', '500']),
        );
      }
    }
    expect(document.openapi).toBe('3.1.0');
  });

  it('compiles as JSON Schema 2020-12 with every reference resolved', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const document = JSON.parse(committed());

    ajv.addSchema(document, 'openapi');
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const target = ref.slice('"$ref":"'.length, -1);
      expect(() => ajv.compile({ $ref: `openapi${target}` })).not.toThrow();
    }
    expect(refs.length).toBeGreaterThan(20);
  });
});

import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * Checks real answers of the API against docs/openapi.json (Ajv, JSON
 * Schema 2020-12 with formats), for the contract tests of every route
 * module: `check(method, pathTemplate, status, body)` returns the
 * operation id and the schema errors (empty when the answer is valid). An
 * operation that does not document the status is an error too.
 */
export function openApiContract() {
  const document = JSON.parse(
    readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'),
  );
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(document, 'openapi');

  const check = (
    method: string,
    template: string,
    status: number,
    body: unknown,
  ) => {
    const op = document.paths[template]?.[method.toLowerCase()];
    if (!op) return { operationId: '', errors: [`no ${method} ${template}`] };
    const response = op.responses[String(status)];
    if (!response) {
      return {
        operationId: op.operationId as string,
        errors: [`${op.operationId} does not document status ${status}`],
      };
    }
    if (!response.$ref && !response.content) {
      const empty = body === undefined;
      return {
        operationId: op.operationId as string,
        errors: empty ? [] : [`${op.operationId} ${status} has no body`],
      };
    }
    const base = response.$ref
      ? `openapi${response.$ref}`
      : `openapi#/${pointer('paths', template, method.toLowerCase())}` +
        `/${pointer('responses', String(status))}`;
    const validate = ajv.compile({
      $ref: `${base}/${pointer('content', 'application/json', 'schema')}`,
    });
    const valid = validate(body);
    return {
      operationId: op.operationId as string,
      errors: valid ? [] : [JSON.stringify(validate.errors).slice(0, 600)],
    };
  };

  /** Every operation id of the document with the tag. */
  const operationsTagged = (tags: readonly string[]) =>
    Object.values(document.paths).flatMap((ops) =>
      Object.values(
        ops as Record<string, { operationId: string; tags: string[] }>,
      )
        .filter((op) => op.tags.some((t) => tags.includes(t)))
        .map((op) => op.operationId),
    );

  return { document, check, operationsTagged };
}

function pointer(...parts: string[]) {
  return parts
    .map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1'))
    .join('/');
}

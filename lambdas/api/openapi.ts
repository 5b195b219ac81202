import * as z from 'zod';
import * as apiSchemas from '../../core/schemas/api.js';
import * as policySchemas from '../../core/schemas/api-policy.js';
import * as runSchemas from '../../core/schemas/api-runs.js';
import type { ApiRoute } from './route-types.js';

/**
 * The OpenAPI 3.1 document of the API, built from the route tables and the
 * zod schemas they name (JSON Schema 2020-12, which 3.1 uses). The api
 * function serves it at GET /openapi.json; scripts/openapi.ts writes it to
 * docs/openapi.json, and a test fails when that copy is stale.
 *
 * Schemas exported from core/schemas/api*.ts become named components; a
 * route's own schemas get a component named after its operation.
 */
export const OPENAPI_INFO = {
  title: 'Upkeep API',
  version: '1.0.0',
  description:
    'Devices, findings, on-demand maintenance and policies of an Upkeep ' +
    'deployment. Every route but GET /openapi.json needs a JWT whose ' +
    '`upkeep_scope` claim is `msp` or `client:<clientId>` (docs/api.md).',
} as const;

type JsonObject = Record<string, unknown>;

/**
 * zod writes its own date-time regex beside `format: date-time`; the
 * format says the same (RFC 3339), and the regex would be most of the
 * document's bytes.
 */
const CONVERSION = {
  target: 'draft-2020-12',
  override: (ctx: { jsonSchema: JsonObject }) => {
    if (ctx.jsonSchema.format === 'date-time') delete ctx.jsonSchema.pattern;
  },
} as const;

const ERROR_REF = { $ref: '#/components/schemas/ApiError' };

const UNPROCESSABLE =
  'the request cannot apply; the code says why (a policy rule, with ' +
  '`path` naming the field; an idempotency key used for another request)';

/** Errors any authenticated route may answer, and their meaning. */
const COMMON_ERRORS: Record<number, string> = {
  400: 'bad path, query or body (`issues` lists what)',
  403: 'the token does not reach this (scope or client)',
  404: 'no such resource, or another client’s',
  500: 'internal error (logged)',
};
const POST_ERRORS: Record<number, string> = {
  409: 'conflict: the resource state, or the idempotency key is in use',
  422: UNPROCESSABLE,
};
const PUT_ERRORS: Record<number, string> = {
  412: 'If-Match does not match the current ETag',
  422: UNPROCESSABLE,
  428: 'If-Match is missing',
};

export function buildOpenApiDocument(routes: readonly ApiRoute[]) {
  const registry = z.registry<{ id: string }>();
  for (const [name, schema] of namedSchemas())
    registry.add(schema, { id: name });
  for (const route of routes) registerRouteSchemas(registry, route);

  const converted = z.toJSONSchema(registry, {
    ...CONVERSION,
    uri: (id) => `#/components/schemas/${id}`,
  });
  const schemas = Object.fromEntries(
    Object.entries(converted.schemas).map(([id, s]) => [id, bare(s)]),
  );

  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    (paths[route.path] as JsonObject)[route.method.toLowerCase()] = operation(
      route,
      registry,
    );
  }
  return {
    openapi: '3.1.0',
    info: OPENAPI_INFO,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    security: [{ jwt: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      responses: errorResponses(),
      securitySchemes: {
        jwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'Cognito in AWS, the local issuer in local mode ' +
            '(`npx upkeep token --scope msp`)',
        },
      },
    },
  };
}

/** The zod schemas exported by core/schemas/api*.ts, PascalCase names. */
function namedSchemas(): [string, z.ZodType][] {
  const modules = [apiSchemas, policySchemas, runSchemas];
  return modules.flatMap((module) =>
    Object.entries(module)
      .filter(([name, value]) => name.endsWith('Schema') && isZod(value))
      .map(([name, value]): [string, z.ZodType] => [
        pascal(name),
        value as z.ZodType,
      ]),
  );
}

function isZod(value: unknown) {
  return value instanceof z.ZodType;
}

function pascal(exportName: string) {
  const base = exportName.replace(/Schema$/, '');
  return base.charAt(0).toUpperCase() + base.slice(1);
}

function registerRouteSchemas(
  registry: z.core.$ZodRegistry<{ id: string }>,
  route: ApiRoute,
) {
  if (route.body && !registry.has(route.body)) {
    registry.add(route.body, { id: `${pascal(route.operationId)}Body` });
  }
  for (const [status, response] of Object.entries(route.responses)) {
    const { schema } = response;
    if (schema && !registry.has(schema)) {
      registry.add(schema, { id: `${pascal(route.operationId)}${status}` });
    }
  }
}

function refTo(
  registry: z.core.$ZodRegistry<{ id: string }>,
  schema: z.ZodType,
) {
  return { $ref: `#/components/schemas/${registry.get(schema)?.id}` };
}

function operation(
  route: ApiRoute,
  registry: z.core.$ZodRegistry<{ id: string }>,
) {
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    ...(route.public ? { security: [] } : {}),
    parameters: [
      ...pathParameters(route.path),
      ...queryParameters(route),
      ...headerParameters(route),
    ],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: refTo(registry, route.body) },
            },
          },
        }
      : {}),
    responses: responses(route, registry),
  };
}

function pathParameters(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

function queryParameters(route: ApiRoute) {
  const shape = route.query?.shape ?? {};
  return Object.entries(shape).map(([name, schema]) => {
    const json = bare(
      z.toJSONSchema(schema as z.ZodType, { ...CONVERSION, io: 'input' }),
    );
    return {
      name,
      in: 'query',
      required: !(schema as z.ZodType).safeParse(undefined).success,
      schema: json,
    };
  });
}

function headerParameters(route: ApiRoute) {
  const headers: JsonObject[] = [];
  if (route.method === 'POST') {
    headers.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'The same key and request within 24 h get the first answer again; ' +
        'the same key with another request is 422',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  if (route.conditional) {
    headers.push({
      name: 'If-Match',
      in: 'header',
      required: true,
      description: 'the ETag of the layer as read (`"r0"` before any write)',
      schema: { type: 'string' },
    });
  }
  return headers;
}

function responses(
  route: ApiRoute,
  registry: z.core.$ZodRegistry<{ id: string }>,
) {
  const out: Record<string, JsonObject> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    out[status] = {
      description: response.description,
      ...(response.headers ? { headers: headerDocs(response.headers) } : {}),
      ...(response.schema
        ? {
            content: {
              [response.contentType ?? 'application/json']: {
                schema: refTo(registry, response.schema),
              },
            },
          }
        : {}),
    };
  }
  if (route.public) return out;

  out[401] = { $ref: '#/components/responses/Error401' };
  const extra =
    route.method === 'POST'
      ? POST_ERRORS
      : route.method === 'PUT'
        ? PUT_ERRORS
        : {};
  const statuses = Object.keys({
    ...COMMON_ERRORS,
    ...extra,
    ...(route.tag === 'runs' ? { 503: '' } : {}),
  });
  for (const status of statuses) {
    out[status] ??= { $ref: `#/components/responses/Error${status}` };
  }
  return out;
}

/** One shared response per error status, referenced by the operations. */
function errorResponses() {
  const all: Record<number, string> = {
    ...COMMON_ERRORS,
    ...POST_ERRORS,
    ...PUT_ERRORS,
    503: 'runs are not configured',
  };
  const responses: Record<string, JsonObject> = {};
  for (const [status, description] of Object.entries(all)) {
    responses[`Error${status}`] = {
      description,
      content: { 'application/json': { schema: ERROR_REF } },
    };
  }
  responses.Error401 = {
    description:
      'no valid token: the gateway’s authorizer answers {message}, the ' +
      'function {error} when no verified claims reach it',
    content: {
      'application/json': {
        schema: {
          anyOf: [ERROR_REF, { $ref: '#/components/schemas/GatewayError' }],
        },
      },
    },
  };
  return responses;
}

function headerDocs(names: string[]) {
  return Object.fromEntries(
    names.map((name) => [name, { schema: { type: 'string' } }]),
  );
}

/** A converted schema without the keys that only a root document has. */
function bare(schema: JsonObject) {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

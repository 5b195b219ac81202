import { readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createPreTokenHandler } from './create-pre-token-handler.js';
import { parseScope, SCOPE_ATTRIBUTE, SCOPE_CLAIM } from './scope-claim.js';

/**
 * The event Cognito sends a version 2 pre token generation trigger on a
 * password sign-in, in the shape of the Cognito developer guide's
 * "Pre token generation Lambda trigger" page (request and response
 * parameters, event version 2); ids are made up.
 */
const recorded = new URL(
  './events/token-generation-authentication.json',
  import.meta.url,
);

function eventWith(scope: string | undefined) {
  const event = JSON.parse(
    readFileSync(recorded, 'utf8'),
  ) as PreTokenGenerationV2TriggerEvent;
  if (scope === undefined) delete event.request.userAttributes[SCOPE_ATTRIBUTE];
  else event.request.userAttributes[SCOPE_ATTRIBUTE] = scope;
  return event;
}

const context = {
  functionName: 'upkeep-auth',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
} as Context;

/** A logger that keeps its JSON lines instead of printing them. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = new Logger({
    serviceName: 'upkeep-auth',
    logLevel: 'DEBUG',
    logRecordOrder: ['level', 'message'],
  });
  const consoleLike = {
    info: (line: string) => lines.push(JSON.parse(line)),
    warn: (line: string) => lines.push(JSON.parse(line)),
    error: (line: string) => lines.push(JSON.parse(line)),
    debug: (line: string) => lines.push(JSON.parse(line)),
    log: (line: string) => lines.push(JSON.parse(line)),
    trace: (line: string) => lines.push(JSON.parse(line)),
  };
  Object.assign(logger, { console: consoleLike });
  return { logger, lines };
}

async function issue(scope: string | undefined) {
  const { logger, lines } = recordingLogger();
  const handler = createPreTokenHandler({ logger });
  const result = await handler(eventWith(scope), context);
  return { details: result.response.claimsAndScopeOverrideDetails, lines };
}

describe('parseScope', () => {
  it.each([
    ['msp', { kind: 'msp' }],
    ['client:acme', { kind: 'client', clientId: 'acme' }],
    ['client:a1-b2', { kind: 'client', clientId: 'a1-b2' }],
  ])('reads %s', (value, scope) => {
    expect(parseScope(value)).toEqual(scope);
  });

  it.each([
    [undefined],
    [''],
    ['MSP'],
    ['admin'],
    ['client:'],
    ['client:Acme'],
    ['client:-acme'],
    ['client:acme,beta'],
    ['client:acme '],
    ['client:*'],
    [`client:${'a'.repeat(49)}`],
  ])('refuses %j', (value) => {
    expect(parseScope(value)).toBeUndefined();
  });
});

describe('the pre token generation trigger', () => {
  it('puts a client scope in the ID and the access token', async () => {
    const { details, lines } = await issue('client:acme');

    expect(details.idTokenGeneration?.claimsToAddOrOverride).toEqual({
      [SCOPE_CLAIM]: 'client:acme',
    });
    expect(details.accessTokenGeneration?.claimsToAddOrOverride).toEqual({
      [SCOPE_CLAIM]: 'client:acme',
    });
    expect(lines.filter((l) => l.level === 'WARN')).toEqual([]);
  });

  it('puts the MSP scope in both tokens', async () => {
    const { details } = await issue('msp');

    expect(details.idTokenGeneration?.claimsToAddOrOverride).toEqual({
      upkeep_scope: 'msp',
    });
    expect(details.accessTokenGeneration?.claimsToAddOrOverride).toEqual({
      upkeep_scope: 'msp',
    });
  });

  it('keeps the raw attribute out of the ID token', async () => {
    const { details } = await issue('client:acme');

    expect(details.idTokenGeneration?.claimsToSuppress).toEqual([
      'custom:upkeep_scope',
    ]);
  });

  it.each([
    ['an unknown value', 'client:ACME'],
    ['no attribute', undefined],
  ])('adds no scope for %s and logs a warning', async (_, value) => {
    const { details, lines } = await issue(value);

    expect(details.idTokenGeneration?.claimsToAddOrOverride).toEqual({});
    expect(details.accessTokenGeneration?.claimsToAddOrOverride).toEqual({});
    const warning = lines.find((l) => l.level === 'WARN');
    expect(warning?.attribute).toBe(value);
    expect(warning).toMatchObject({
      message: 'user without a known scope',
      code: 'unknown-scope',
      userName: '3a7c1e52-8b0d-4f0e-9c61-2f4d8e9b7a10',
      hasAttribute: value !== undefined,
    });
  });
});

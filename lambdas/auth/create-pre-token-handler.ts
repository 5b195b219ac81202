import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { parseScope, SCOPE_ATTRIBUTE, scopeOverrides } from './scope-claim.js';

export interface PreTokenDeps {
  logger: Logger;
}

/**
 * The user pool's pre token generation trigger (event version 2, so that
 * the access token gets the claim too). Cognito calls it synchronously on
 * every sign-in and refresh; it reads nothing but the event, so sign-in
 * does not depend on any other service.
 */
export function createPreTokenHandler(deps: PreTokenDeps) {
  const { logger } = deps;

  const run = (event: PreTokenGenerationV2TriggerEvent) => {
    const value = event.request.userAttributes[SCOPE_ATTRIBUTE];
    const scope = parseScope(value);
    if (!scope) {
      // A human must set the attribute right; the user is signed in
      // without a scope, and the API refuses every request of theirs.
      logger.warn('user without a known scope', {
        code: 'unknown-scope',
        userName: event.userName,
        hasAttribute: value !== undefined,
        attribute: value,
      });
    }

    event.response.claimsAndScopeOverrideDetails = scopeOverrides(scope);
    return event;
  };

  return middy(
    async (event: PreTokenGenerationV2TriggerEvent, _context: Context) =>
      run(event),
  ).use(injectLambdaContext(logger, { resetKeys: true }));
}

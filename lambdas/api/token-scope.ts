import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ApiError } from './responses.js';

/**
 * Who is calling, from the JWT the gateway verified. The contract with the
 * authorizer (infra and local/http-api): the claim `upkeep_scope` is `msp`
 * (every client) or `client:<clientId>` (that client only); anything else
 * is refused. The handler never sees a token the gateway did not verify.
 */
export const SCOPE_CLAIM = 'upkeep_scope';

export type TokenScope =
  | { kind: 'msp'; subject: string }
  | { kind: 'client'; clientId: string; subject: string }
  | { kind: 'public' };

const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

type JwtContext = { jwt?: { claims?: Record<string, unknown> } };

export function scopeOf(event: APIGatewayProxyEventV2): TokenScope {
  const context = event.requestContext as { authorizer?: JwtContext };
  const claims = context.authorizer?.jwt?.claims;
  if (!claims) {
    throw new ApiError(401, 'unauthenticated', 'no verified token');
  }

  const value = claims[SCOPE_CLAIM];
  const subject = String(claims.sub ?? claims.client_id ?? 'unknown');
  if (value === undefined) {
    throw new ApiError(
      403,
      'scope-missing',
      `the token has no ${SCOPE_CLAIM} claim`,
    );
  }
  if (value === 'msp') return { kind: 'msp', subject };

  const clientId = /^client:(.+)$/.exec(String(value))?.[1];
  if (clientId && CLIENT_ID.test(clientId)) {
    return { kind: 'client', clientId, subject };
  }
  throw new ApiError(
    403,
    'scope-invalid',
    `${SCOPE_CLAIM} must be "msp" or "client:<clientId>"`,
  );
}

/** Whether the scope may see a client's data. */
export function seesClient(scope: TokenScope, clientId: string) {
  return (
    scope.kind === 'msp' ||
    (scope.kind === 'client' && scope.clientId === clientId)
  );
}

/**
 * For resources named by their client id (a client, its sites, its
 * policy): another client's is 403, since the caller named the client.
 */
export function requireClient(scope: TokenScope, clientId: string) {
  if (seesClient(scope, clientId)) return;
  throw new ApiError(
    403,
    'forbidden-client',
    `this token does not reach client "${clientId}"`,
  );
}

export function requireMsp(scope: TokenScope) {
  if (scope.kind === 'msp') return;
  throw new ApiError(403, 'msp-scope-required', 'this needs an MSP token');
}

/** The clients a listing covers: the token's own, or the one asked for. */
export function clientsInView(
  scope: TokenScope,
  requested: string | undefined,
): string[] | 'all' {
  if (requested !== undefined) {
    requireClient(scope, requested);
    return [requested];
  }
  if (scope.kind === 'client') return [scope.clientId];
  return 'all';
}

/** Who did it, for acknowledgements, suppressions and runs. */
export function actorOf(scope: TokenScope) {
  if (scope.kind === 'public') return 'anonymous';
  const prefix = scope.kind === 'msp' ? 'msp' : `client:${scope.clientId}`;
  return `${prefix}/${scope.subject}`;
}

import {
  createRemoteJWKSet,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import { LocalStackError } from '../errors.js';

/**
 * The HTTP API's JWT authorizer, done as API Gateway documents it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/
 * http-api-jwt-authorizer.html):
 *
 *   token from the identity source (Authorization, optional "Bearer ")
 *     ─▶ decode ─▶ key by `kid` from the issuer's jwks_uri (OIDC
 *     discovery), RSA algorithms only ─▶ signature ─▶ iss is the issuer
 *     ─▶ aud or client_id is one of the audiences ─▶ exp after now
 *     ─▶ nbf and iat not after now
 *
 * Any failure is 401 before the handler runs. A passing token reaches the
 * handler as requestContext.authorizer.jwt: its claims with every value a
 * string (as the gateway renders them) and the scopes of its `scope` or
 * `scp` claim.
 */
export const jwtAuthorizerDefaults = {
  /** The algorithms API Gateway accepts: RSA-based only. */
  algorithms: ['RS256', 'RS384', 'RS512'],
} as const;

export interface JwtAuthorizerConfig {
  issuer: string;
  audience: readonly string[];
  /** @default now, ms */
  now?: () => number;
}

export interface AuthorizerContext {
  principalId: string;
  integrationLatency: number;
  jwt: { claims: Record<string, string>; scopes: string[] | null };
}

/** The token was refused; the reason is for logs, never for the caller. */
export class UnauthorizedError extends LocalStackError {
  constructor(reason: string, options?: ErrorOptions) {
    super('unauthorized', reason, options);
    this.name = 'UnauthorizedError';
  }
}

export type JwtAuthorizer = (
  authorization: string | undefined,
) => Promise<AuthorizerContext>;

export function createJwtAuthorizer(
  config: JwtAuthorizerConfig,
): JwtAuthorizer {
  const now = config.now ?? Date.now;
  let keySet: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keys = () => {
    keySet ??= discoverKeys(config.issuer).catch((error: unknown) => {
      keySet = undefined;
      throw error;
    });
    return keySet;
  };

  return async (authorization) => {
    const token = tokenOf(authorization);
    const payload = await verified(token, await keys(), config, now());
    checkAudience(payload, config.audience);
    checkTimes(payload, now());
    return {
      principalId: '',
      integrationLatency: 0,
      jwt: { claims: gatewayClaims(payload), scopes: scopesOf(payload) },
    };
  };
}

function tokenOf(authorization: string | undefined) {
  const value = authorization?.trim() ?? '';
  const token = value.replace(/^Bearer\s+/i, '');
  if (token === '') throw new UnauthorizedError('no token');
  return token;
}

async function discoverKeys(issuer: string) {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  const document = (await response.json()) as { jwks_uri?: string };
  if (!response.ok || typeof document.jwks_uri !== 'string') {
    throw new UnauthorizedError(`no discovery document at ${issuer}`);
  }
  return createRemoteJWKSet(new URL(document.jwks_uri));
}

async function verified(
  token: string,
  keys: ReturnType<typeof createRemoteJWKSet>,
  config: JwtAuthorizerConfig,
  nowMs: number,
): Promise<JWTPayload> {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keys, {
      issuer: config.issuer,
      algorithms: [...jwtAuthorizerDefaults.algorithms],
      requiredClaims: ['exp'],
      currentDate: new Date(nowMs),
    });
    if (!protectedHeader.kid) throw new UnauthorizedError('no kid');
    return payload;
  } catch (error) {
    if (error instanceof UnauthorizedError) throw error;
    const known = error instanceof joseErrors.JOSEError;
    throw new UnauthorizedError(
      known ? (error as Error).message : 'token not verifiable',
      { cause: error },
    );
  }
}

function checkAudience(payload: JWTPayload, audience: readonly string[]) {
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  const candidates = [...aud, payload.client_id].filter(
    (v): v is string => typeof v === 'string',
  );
  if (!candidates.some((v) => audience.includes(v))) {
    throw new UnauthorizedError('neither aud nor client_id is an audience');
  }
}

function checkTimes(payload: JWTPayload, nowMs: number) {
  const now = Math.floor(nowMs / 1000);
  if (typeof payload.iat === 'number' && payload.iat > now) {
    throw new UnauthorizedError('iat is in the future');
  }
}

/** Claim values as the gateway passes them: strings, lists as `[a b]`. */
function gatewayClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [name, render(value)]),
  );
}

function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(render).join(' ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function scopesOf(payload: JWTPayload): string[] | null {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.map(String);
  return null;
}

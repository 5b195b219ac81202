import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { LocalStackError } from '../errors.js';

/**
 * The local identity provider: what Cognito is in AWS. It signs access
 * tokens with a key kept in the state folder, so tokens minted by
 * `upkeep token` verify with the running stack, and publishes its
 * discovery document and key set under `<issuer>/.well-known/`, where the
 * local gateway's JWT authorizer fetches them as API Gateway does.
 *
 * RS256: API Gateway's JWT authorizer accepts only RSA-based algorithms,
 * and the local authorizer refuses what API Gateway would refuse.
 *
 * Files (in <state>/tokens/, written 0600):
 *   signing-key.json   {kid, privateJwk}
 *   issuer.json        {issuer, audience}: written by the stack on start,
 *                      read by `upkeep token`
 */
export const tokenDefaults = {
  audience: 'upkeep-api',
  algorithm: 'RS256',
  /** A token lives this long unless --ttl says otherwise, s. */
  ttlSeconds: 3600,
  /** Longer-lived tokens are refused: a leaked one would last, s. */
  maxTtlSeconds: 30 * 24 * 3600,
  /** The scope claim the api function reads (lambdas/api/token-scope.ts). */
  scopeClaim: 'upkeep_scope',
  /** The path under the API URL the issuer answers at. */
  issuerPath: '/local-issuer',
} as const;

export const SCOPE_PATTERN = /^(msp|client:[A-Za-z0-9][A-Za-z0-9_.:-]{0,127})$/;

export class TokenError extends LocalStackError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'TokenError';
  }
}

export interface IssuerIdentity {
  issuer: string;
  audience: string;
}

export interface MintOptions {
  /** `msp` or `client:<clientId>`. */
  scope: string;
  /** @default 3600 s */
  ttlSeconds?: number;
  /** @default 'local-user' */
  subject?: string;
  /** @default Date.now() */
  nowMs?: number;
}

export class LocalIssuer {
  readonly identity: IssuerIdentity;
  readonly #kid: string;
  readonly #privateJwk: JWK;

  constructor(identity: IssuerIdentity, key: { kid: string; privateJwk: JWK }) {
    this.identity = identity;
    this.#kid = key.kid;
    this.#privateJwk = key.privateJwk;
  }

  /** The public key set, as `jwks_uri` serves it. */
  jwks() {
    const { kty, n, e } = this.#privateJwk;
    return {
      keys: [
        { kty, n, e, kid: this.#kid, alg: tokenDefaults.algorithm, use: 'sig' },
      ],
    };
  }

  /** The OpenID Connect discovery document. */
  discovery() {
    return {
      issuer: this.identity.issuer,
      jwks_uri: `${this.identity.issuer}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: [tokenDefaults.algorithm],
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
    };
  }

  async mint(options: MintOptions): Promise<string> {
    if (!SCOPE_PATTERN.test(options.scope)) {
      throw new TokenError(
        'invalid-scope',
        `--scope must be msp or client:<clientId>, got "${options.scope}"`,
      );
    }
    const ttl = options.ttlSeconds ?? tokenDefaults.ttlSeconds;
    if (
      !Number.isInteger(ttl) ||
      ttl < 1 ||
      ttl > tokenDefaults.maxTtlSeconds
    ) {
      throw new TokenError(
        'invalid-ttl',
        `--ttl must be 1 to ${tokenDefaults.maxTtlSeconds} seconds, got ${ttl}`,
      );
    }

    const now = Math.floor((options.nowMs ?? Date.now()) / 1000);
    const key = await importJWK(this.#privateJwk, tokenDefaults.algorithm);
    return new SignJWT({
      [tokenDefaults.scopeClaim]: options.scope,
      scope: 'upkeep/api',
    })
      .setProtectedHeader({
        alg: tokenDefaults.algorithm,
        kid: this.#kid,
        typ: 'JWT',
      })
      .setIssuer(this.identity.issuer)
      .setAudience(this.identity.audience)
      .setSubject(options.subject ?? 'local-user')
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + ttl)
      .sign(key);
  }
}

const KEY_FILE = 'signing-key.json';
const IDENTITY_FILE = 'issuer.json';

export function tokensDir(stateRoot: string) {
  return join(stateRoot, 'tokens');
}

/** The stack's issuer: the key (made on the first start) and its URL. */
export async function openIssuer(
  stateRoot: string,
  identity: IssuerIdentity,
): Promise<LocalIssuer> {
  const dir = tokensDir(stateRoot);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = (await readKey(dir)) ?? (await createKey(dir));
  writeFileSync(join(dir, IDENTITY_FILE), `${JSON.stringify(identity)}\n`, {
    mode: 0o600,
  });
  return new LocalIssuer(identity, key);
}

/** The issuer a stack on this state folder runs, for `upkeep token`. */
export async function readIssuer(stateRoot: string): Promise<LocalIssuer> {
  const dir = tokensDir(stateRoot);
  const key = await readKey(dir);
  const identity = readJson(join(dir, IDENTITY_FILE)) as IssuerIdentity;
  if (!key || !identity?.issuer) {
    throw new TokenError(
      'no-issuer',
      `no local issuer in ${dir}; start the stack once (upkeep local) ` +
        'with this --state folder',
    );
  }
  return new LocalIssuer(identity, key);
}

async function readKey(dir: string) {
  const stored = readJson(join(dir, KEY_FILE)) as
    | { kid: string; privateJwk: JWK }
    | undefined;
  return stored?.kid && stored.privateJwk ? stored : undefined;
}

async function createKey(dir: string) {
  const { privateKey } = await generateKeyPair(tokenDefaults.algorithm, {
    extractable: true,
    modulusLength: 2048,
  });
  const key = { kid: randomUUID(), privateJwk: await exportJWK(privateKey) };
  writeFileSync(join(dir, KEY_FILE), `${JSON.stringify(key)}\n`, {
    mode: 0o600,
  });
  return key;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

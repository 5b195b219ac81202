import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openIssuer, tokenDefaults } from '../tokens/local-issuer.js';
import { createJwtAuthorizer } from './jwt-authorizer.js';
import { startHttpApi } from './server.js';

/**
 * The local gateway with the JWT authorizer in front of a handler that
 * keeps every event it gets, and the local issuer publishing its keys on
 * the same server, as the stack runs them.
 */
async function gatewayWithIssuer() {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-jwt-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const seen: APIGatewayProxyEventV2[] = [];
  const refused: unknown[] = [];
  let issuerUrl = '';
  const api = await startHttpApi({
    port: 0,
    dashboardRoot: false,
    handler: async (event) => {
      seen.push(event);
      return { statusCode: 200, body: '{}' };
    },
    authorizer: (header) =>
      createJwtAuthorizer({
        issuer: issuerUrl,
        audience: [tokenDefaults.audience],
      })(header),
    documents: {
      '/local-issuer/.well-known/openid-configuration': () =>
        issuer.discovery(),
      '/local-issuer/.well-known/jwks.json': () => issuer.jwks(),
    },
  });
  onTestFinished(() => api.close());
  issuerUrl = `${api.url}/local-issuer`;
  const issuer = await openIssuer(dir, {
    issuer: issuerUrl,
    audience: tokenDefaults.audience,
  });
  api.events.on('unauthorized', (e) => refused.push(e));
  const get = (path: string, token?: string) =>
    fetch(`${api.url}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  return { api, issuer, issuerUrl, seen, refused, get };
}

/** A token signed by `key` with the issuer's claims, for forgeries. */
async function forged(
  claims: Record<string, unknown>,
  options: { alg: string; kid?: string },
) {
  const { privateKey } = await generateKeyPair(options.alg);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg, kid: options.kid ?? 'other' })
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(privateKey);
}

describe('the local JWT authorizer', () => {
  it('passes a valid token with its claims as strings', async () => {
    const g = await gatewayWithIssuer();
    const token = await g.issuer.mint({ scope: 'client:acme', ttlSeconds: 60 });

    const response = await g.get('/devices', token);

    expect(response.status).toBe(200);
    const context = g.seen[0]?.requestContext as unknown as {
      authorizer?: {
        jwt: { claims: Record<string, string>; scopes: string[] };
      };
    };
    const jwt = context.authorizer?.jwt;
    expect(jwt?.claims).toMatchObject({
      upkeep_scope: 'client:acme',
      iss: g.issuerUrl,
      aud: 'upkeep-api',
      sub: 'local-user',
      exp: expect.stringMatching(/^\d+$/),
    });
    expect(jwt?.scopes).toEqual(['upkeep/api']);
  });

  it('lets the OpenAPI document through without a token', async () => {
    const g = await gatewayWithIssuer();

    const response = await g.get('/openapi.json');

    expect(response.status).toBe(200);
    expect(g.seen).toHaveLength(1);
    expect(g.seen[0]?.requestContext).not.toHaveProperty('authorizer');
  });

  it('answers 401 before the handler for every bad token', async () => {
    const g = await gatewayWithIssuer();
    const expired = await g.issuer.mint({
      scope: 'msp',
      ttlSeconds: 60,
      nowMs: Date.now() - 3_600_000,
    });
    const notYet = await g.issuer.mint({
      scope: 'msp',
      nowMs: Date.now() + 3_600_000,
    });
    const good = await g.issuer.mint({ scope: 'msp' });
    const [head, body] = good.split('.');
    const tampered = `${head}.${body}.${'A'.repeat(342)}`;
    const claims = { iss: g.issuerUrl, aud: 'upkeep-api', upkeep_scope: 'msp' };
    const ecdsa = await forged(claims, { alg: 'ES256' });
    const otherKey = await forged(claims, { alg: 'RS256' });

    const statuses = [];
    for (const token of [
      undefined,
      'not-a-jwt',
      expired,
      notYet,
      tampered,
      ecdsa,
      otherKey,
    ]) {
      const response = await g.get('/devices', token);
      statuses.push([response.status, await response.json()]);
    }

    expect(statuses).toEqual(Array(7).fill([401, { message: 'Unauthorized' }]));
    expect(g.seen).toEqual([]);
    expect(g.refused).toHaveLength(7);
  });

  it('refuses a token for another issuer or audience', async () => {
    const g = await gatewayWithIssuer();
    const dir = mkdtempSync(join(tmpdir(), 'upkeep-jwt-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const wrongAudience = await openIssuer(dir, {
      issuer: g.issuerUrl,
      audience: 'someone-else',
    });
    const wrongIssuer = await openIssuer(dir, {
      issuer: 'http://127.0.0.1:1/other',
      audience: 'upkeep-api',
    });

    const a = await g.get(
      '/devices',
      await wrongAudience.mint({ scope: 'msp' }),
    );
    const b = await g.get('/devices', await wrongIssuer.mint({ scope: 'msp' }));

    expect([a.status, b.status]).toEqual([401, 401]);
    expect(g.seen).toEqual([]);
  });
});

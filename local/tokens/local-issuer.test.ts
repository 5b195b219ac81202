import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openIssuer, readIssuer, tokenDefaults } from './local-issuer.js';

function stateDir() {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-issuer-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const identity = {
  issuer: 'http://127.0.0.1:18080/local-issuer',
  audience: tokenDefaults.audience,
};

describe('the local issuer', () => {
  it('keeps its key across starts, readable by the owner only', async () => {
    const state = stateDir();

    const first = await openIssuer(state, identity);
    const second = await openIssuer(state, identity);
    const token = await first.mint({ scope: 'msp' });
    const mode = statSync(join(state, 'tokens', 'signing-key.json')).mode;

    expect(second.jwks()).toEqual(first.jwks());
    await expect(
      jwtVerify(token, createLocalJWKSet(second.jwks()), identity),
    ).resolves.toMatchObject({ payload: { upkeep_scope: 'msp' } });
    expect(mode & 0o777).toBe(0o600);
  });

  it('publishes only the public half of its key', async () => {
    const issuer = await openIssuer(stateDir(), identity);

    const [key] = issuer.jwks().keys;

    expect(Object.keys(key ?? {}).sort()).toEqual([
      'alg',
      'e',
      'kid',
      'kty',
      'n',
      'use',
    ]);
    expect(issuer.discovery()).toMatchObject({
      issuer: identity.issuer,
      jwks_uri: `${identity.issuer}/.well-known/jwks.json`,
    });
  });

  it('mints RS256 tokens with kid, nbf, iat, exp and the scope claim', async () => {
    const issuer = await openIssuer(stateDir(), identity);
    const nowMs = Date.parse('2026-12-04T09:00:00Z');

    const token = await issuer.mint({
      scope: 'client:acme',
      ttlSeconds: 600,
      nowMs,
    });
    const { payload } = await jwtVerify(
      token,
      createLocalJWKSet(issuer.jwks()),
      { ...identity, currentDate: new Date(nowMs) },
    );

    expect(decodeProtectedHeader(token)).toMatchObject({
      alg: 'RS256',
      kid: issuer.jwks().keys[0]?.kid,
    });
    expect(payload).toMatchObject({
      upkeep_scope: 'client:acme',
      iat: nowMs / 1000,
      nbf: nowMs / 1000,
      exp: nowMs / 1000 + 600,
    });
  });

  it('refuses bad scopes and lifetimes, and a folder without an issuer', async () => {
    const issuer = await openIssuer(stateDir(), identity);

    await expect(issuer.mint({ scope: 'client:' })).rejects.toThrow(
      /--scope must be/,
    );
    await expect(
      issuer.mint({ scope: 'msp', ttlSeconds: 31 * 86_400 }),
    ).rejects.toThrow(/--ttl must be 1 to 2592000 seconds/);
    await expect(readIssuer(stateDir())).rejects.toThrow(/no local issuer/);
  });
});

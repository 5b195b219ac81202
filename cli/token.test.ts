import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openIssuer } from '../local/tokens/local-issuer.js';
import { parseTtl, runTokenCommand } from './token.js';

function stateDir() {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-token-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function run(argv: string[], state: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTokenCommand(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: {},
    cwd: state,
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('upkeep token', () => {
  it("prints a token the stack's issuer keys verify", async () => {
    const state = stateDir();
    const issuer = await openIssuer(state, {
      issuer: 'http://127.0.0.1:18080/local-issuer',
      audience: 'upkeep-api',
    });

    const result = await run(
      ['--scope', 'client:acme', '--ttl', '2h', '--state', state],
      state,
    );

    expect(result.code).toBe(0);
    const { payload, protectedHeader } = await jwtVerify(
      result.out.trim(),
      createLocalJWKSet(issuer.jwks()),
      {
        issuer: 'http://127.0.0.1:18080/local-issuer',
        audience: 'upkeep-api',
      },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.upkeep_scope).toBe('client:acme');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(7200);
  });

  it('refuses a scope that is neither msp nor client:<id>', async () => {
    const state = stateDir();
    await openIssuer(state, { issuer: 'http://x/i', audience: 'upkeep-api' });

    const result = await run(['--scope', 'admin', '--state', state], state);

    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--scope must be msp or client:<clientId>/);
    expect(result.out).toBe('');
  });

  it('says to start the stack when its folder has no issuer', async () => {
    const state = stateDir();

    const result = await run(['--scope', 'msp', '--state', state], state);

    expect(result.code).toBe(1);
    expect(result.err).toMatch(/start the stack once/);
  });

  it('reads lifetimes in seconds, minutes, hours and days', () => {
    expect([
      parseTtl('90'),
      parseTtl('15m'),
      parseTtl('12h'),
      parseTtl('7d'),
    ]).toEqual([90, 900, 43_200, 604_800]);
    expect(() => parseTtl('soon')).toThrow(/--ttl must be/);
  });

  it('refuses a lifetime past 30 days, quoting it as typed', async () => {
    const state = stateDir();
    await openIssuer(state, { issuer: 'http://x/i', audience: 'upkeep-api' });

    const ttl = (text: string) =>
      run(['--scope', 'msp', '--ttl', text, '--state', state], state);

    const long = await ttl('90d');
    const zero = await ttl('0m');

    expect(long.code).toBe(2);
    expect(long.err).toBe(
      'upkeep token: --ttl must be from 1s to 30d, got "90d"\n',
    );
    expect(long.out).toBe('');
    expect(zero.code).toBe(2);
    expect(zero.err).toContain('got "0m"');
  });
});

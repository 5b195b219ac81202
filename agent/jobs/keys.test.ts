import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AgentConfigError } from '../errors.js';
import { loadPublicKeys } from './keys.js';
import { testKey } from './testing/sign.js';

describe('loadPublicKeys', () => {
  it('loads PEM and raw base64 Ed25519 keys by key id', () => {
    const a = testKey('a');
    const b = testKey('b');

    const keys = loadPublicKeys({ a: a.publicKeyPem, b: b.publicKeyRaw });

    expect([...keys.keys()]).toEqual(['a', 'b']);
    expect(keys.get('b')?.asymmetricKeyType).toBe('ed25519');
  });

  it('refuses a key that is not Ed25519, naming the key id', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();

    expect(() => loadPublicKeys({ old: pem })).toThrow(
      /publicKeys\["old"\] must be an Ed25519 key, got ec/,
    );
  });

  it('refuses a raw key of the wrong length', () => {
    expect(() =>
      loadPublicKeys({ k: Buffer.alloc(31).toString('base64') }),
    ).toThrow(AgentConfigError);
  });

  it('refuses an empty key set', () => {
    expect(() => loadPublicKeys({})).toThrow(/at least one key/);
  });
});

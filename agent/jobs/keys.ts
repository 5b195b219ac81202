import { createPublicKey, type KeyObject } from 'node:crypto';
import { AgentConfigError } from '../errors.js';

/**
 * The deployment's Ed25519 public keys, by key id. A key is given as PEM
 * (SubjectPublicKeyInfo) or as the raw 32-byte key in base64, the two forms
 * a key-management console hands out. Bad keys fail the agent's start: a
 * typo here would otherwise reject every remedy in silence.
 */
export const ED25519_RAW_KEY_BYTES = 32;

export function loadPublicKeys(
  keys: Readonly<Record<string, string>>,
): ReadonlyMap<string, KeyObject> {
  const entries = Object.entries(keys);
  if (entries.length === 0) {
    throw new AgentConfigError('jobs.publicKeys needs at least one key');
  }
  return new Map(
    entries.map(([keyId, text]) => [keyId, parseKey(keyId, text)]),
  );
}

function parseKey(keyId: string, text: string): KeyObject {
  let key: KeyObject;
  try {
    key = text.includes('-----BEGIN') ? createPublicKey(text) : rawKey(text);
  } catch (cause) {
    throw new AgentConfigError(
      `jobs.publicKeys["${keyId}"] is neither a PEM public key nor ` +
        `${ED25519_RAW_KEY_BYTES} bytes of base64`,
      { cause },
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AgentConfigError(
      `jobs.publicKeys["${keyId}"] must be an Ed25519 key, ` +
        `got ${key.asymmetricKeyType}`,
    );
  }
  return key;
}

function rawKey(base64: string): KeyObject {
  const bytes = Buffer.from(base64.trim(), 'base64');
  if (bytes.length !== ED25519_RAW_KEY_BYTES) {
    throw new RangeError(`raw key has ${bytes.length} bytes`);
  }
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: bytes.toString('base64url') },
    format: 'jwk',
  });
}

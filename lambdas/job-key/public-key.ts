import { signingKeyFromSecret } from '../lib/job-signing.js';

/**
 * What the job-signing public key custom resource returns to CloudFormation
 * (infra/lib/job-signing-public-key.ts): the raw Ed25519 public key, base64,
 * and its key id, derived from the seed as the signing functions derive the
 * private key. Nothing secret leaves the function.
 */
export interface PublicKeyAttributes {
  PublicKey: string;
  KeyId: string;
}

export function publicKeyAttributes(secret: string): PublicKeyAttributes {
  const { publicKeyRaw, keyId } = signingKeyFromSecret(secret);
  return { PublicKey: publicKeyRaw, KeyId: keyId };
}

// @peculiar/x509 decorates its ASN.1 classes and needs the metadata
// polyfill loaded before its first import.
import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// The library's parameter is the DOM Crypto type, which Node's webcrypto
// implements; the project compiles without the DOM library.
x509.cryptoProvider.set(webcrypto as never);

export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;

export { x509 };

/**
 * ECDSA P-256 with SHA-256: the key type IoT Core's own
 * CreateKeysAndCertificate does not offer (it issues RSA 2048), but one IoT
 * accepts for registered certificates, and small enough to make on every
 * start in a few milliseconds.
 */
export const KEY_ALGORITHM = {
  name: 'ECDSA',
  namedCurve: 'P-256',
  hash: 'SHA-256',
} as const;

export function generateKeyPair(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, [
    'sign',
    'verify',
  ]) as Promise<CryptoKeyPair>;
}

/** PKCS#8 PEM ("PRIVATE KEY"), which Node's TLS and OpenSSL both read. */
export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return pem('PRIVATE KEY', Buffer.from(der));
}

export async function publicKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('spki', key);
  return pem('PUBLIC KEY', Buffer.from(der));
}

export function importPrivateKey(pemText: string): Promise<CryptoKey> {
  return webcrypto.subtle.importKey(
    'pkcs8',
    derOf(pemText),
    KEY_ALGORITHM,
    false,
    ['sign'],
  );
}

/**
 * The IoT certificate id: the SHA-256 of the certificate's DER, as 64 hex
 * digits. A device certificate is found again from the TLS peer by it.
 */
export function certificateIdOf(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

export function derOf(pemText: string): Buffer {
  const body = pemText
    .replace(/-----(BEGIN|END) [A-Z ]+-----/g, '')
    .replace(/\s+/g, '');
  return Buffer.from(body, 'base64');
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

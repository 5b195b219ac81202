import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalStackError } from '../errors.js';
import {
  type CryptoKey,
  generateKeyPair,
  importPrivateKey,
  KEY_ALGORITHM,
  privateKeyPem,
  publicKeyPem,
  x509,
} from './x509.js';

export const localCaDefaults = {
  /** Subject of the local root; it names the state folder's deployment. */
  subject: 'CN=Upkeep local CA, O=Upkeep',
  /** The root outlives many restarts of a state folder, days. */
  caValidityDays: 3650,
  /** Device certificates, as IoT's own last until 2049, days. */
  deviceValidityDays: 3650,
  /** The broker's certificate is made again on every start, days. */
  serverValidityDays: 30,
  /** Files in the state folder. */
  certificateFile: 'ca.crt.pem',
  keyFile: 'ca.key.pem',
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A certificate with the key pair it certifies, all PEM. */
export interface IssuedCertificate {
  certificatePem: string;
  privateKeyPem: string;
  publicKeyPem: string;
}

export interface LocalCa {
  /** The root certificate devices and the broker trust, PEM. */
  certificatePem: string;
  /** A client certificate for a device (CreateKeysAndCertificate). */
  issueDevice(commonName: string): Promise<IssuedCertificate>;
  /** The broker's server certificate for the loopback addresses. */
  issueServer(): Promise<IssuedCertificate>;
}

/**
 * The local stand-in's certificate authority: a self-signed ECDSA root made
 * on the first start and kept in `dir` (the key readable by this user
 * only), so certificates issued before a restart stay valid after it. It
 * plays the part of the CA behind AWS IoT's CreateKeysAndCertificate.
 */
export async function loadOrCreateLocalCa(
  dir: string,
  now: () => number = Date.now,
): Promise<LocalCa> {
  const stored = readStored(dir);
  const { certificate, signingKey } = stored
    ? {
        certificate: new x509.X509Certificate(stored.certificatePem),
        signingKey: await importPrivateKey(stored.keyPem),
      }
    : await createRoot(dir, now());
  const certificatePem = certificate.toString('pem');

  return {
    certificatePem,
    issueDevice: (commonName) =>
      issue(certificate, signingKey, now(), deviceProfile(commonName)),
    issueServer: () => issue(certificate, signingKey, now(), serverProfile()),
  };
}

function readStored(dir: string) {
  const paths = caPaths(dir);
  try {
    return {
      certificatePem: readFileSync(paths.certificate, 'utf8'),
      keyPem: readFileSync(paths.key, 'utf8'),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LocalStackError(
      'ca-unreadable',
      `the local CA in ${dir} cannot be read`,
      { cause: error },
    );
  }
}

async function createRoot(dir: string, nowMs: number) {
  const keys = await generateKeyPair();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: localCaDefaults.subject,
    notBefore: new Date(nowMs - DAY_MS),
    notAfter: new Date(nowMs + localCaDefaults.caValidityDays * DAY_MS),
    keys,
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });

  const paths = caPaths(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // `wx`: two starts racing on a new folder cannot both write a root.
  writeFileSync(paths.key, await privateKeyPem(keys.privateKey), {
    mode: 0o600,
    flag: 'wx',
  });
  writeFileSync(paths.certificate, certificate.toString('pem'), { flag: 'wx' });
  return { certificate, signingKey: keys.privateKey };
}

interface Profile {
  subject: string;
  days: number;
  extensions: x509.Extension[];
}

function deviceProfile(commonName: string): Profile {
  return {
    subject: `CN=${commonName.replace(/[,+="\\<>;]/g, '-')}`,
    days: localCaDefaults.deviceValidityDays,
    extensions: [
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ],
  };
}

function serverProfile(): Profile {
  return {
    subject: 'CN=localhost',
    days: localCaDefaults.serverValidityDays,
    extensions: [
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      // The stand-in listens on loopback only (local/net/listen.ts).
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
        { type: 'dns', value: 'localhost' },
      ]),
    ],
  };
}

async function issue(
  ca: x509.X509Certificate,
  signingKey: CryptoKey,
  nowMs: number,
  profile: Profile,
): Promise<IssuedCertificate> {
  const keys = await generateKeyPair();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: profile.subject,
    issuer: ca.subject,
    notBefore: new Date(nowMs - DAY_MS),
    notAfter: new Date(nowMs + profile.days * DAY_MS),
    signingKey,
    publicKey: keys.publicKey,
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
      ...profile.extensions,
    ],
  });
  return {
    certificatePem: certificate.toString('pem'),
    privateKeyPem: await privateKeyPem(keys.privateKey),
    publicKeyPem: await publicKeyPem(keys.publicKey),
  };
}

/** 16 random bytes, the top bit cleared so the DER integer stays positive. */
function serialNumber() {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

function caPaths(dir: string) {
  return {
    certificate: join(dir, localCaDefaults.certificateFile),
    key: join(dir, localCaDefaults.keyFile),
  };
}

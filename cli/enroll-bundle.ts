import { X509Certificate } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import {
  BUNDLE_FILES,
  type BundleConfig,
} from '../agent/transport/install-bundle.js';
import { EnrollError } from './enroll-errors.js';

export interface BundleMaterial {
  certificatePem: string;
  privateKeyPem: string;
  rootCaPem: string;
}

/**
 * Writes the install bundle into `dir` (created 0700 when missing). No file
 * is overwritten: a bundle holds the only copy of its private key, so an
 * earlier one is never lost by a repeated run. The key is readable by its
 * owner only.
 */
export function writeBundle(
  dir: string,
  config: BundleConfig,
  material: BundleMaterial,
) {
  const files: [string, string, number][] = [
    [BUNDLE_FILES.privateKey, material.privateKeyPem, 0o600],
    [BUNDLE_FILES.certificate, material.certificatePem, 0o644],
    [BUNDLE_FILES.rootCa, material.rootCaPem, 0o644],
    [BUNDLE_FILES.config, `${JSON.stringify(config, null, 2)}\n`, 0o644],
  ];
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const [name, text, mode] of files) {
      writeFileSync(join(dir, name), text, { mode, flag: 'wx' });
    }
  } catch (cause) {
    const exists = (cause as NodeJS.ErrnoException).code === 'EEXIST';
    throw new EnrollError(
      'bundle-failed',
      exists
        ? `${dir} already holds a bundle; choose another --out`
        : `cannot write the bundle to ${dir}: ${(cause as Error).message}`,
      { cause },
    );
  }
}

/**
 * Amazon Root CA 1, which signs the ATS endpoints of AWS IoT Core, taken
 * from the CA store Node ships (`tls.rootCertificates`) so that it is
 * never copied by hand.
 */
export function amazonRootCa1(
  roots: readonly string[] = rootCertificates,
): string {
  const found = roots.find((pem) =>
    new X509Certificate(pem).subject
      .split('\n')
      .includes('CN=Amazon Root CA 1'),
  );
  if (!found) {
    throw new EnrollError(
      'missing-setting',
      "Node's CA store holds no Amazon Root CA 1",
    );
  }
  return found.endsWith('\n') ? found : `${found}\n`;
}

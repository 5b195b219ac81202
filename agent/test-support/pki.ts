import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCommand } from '../platform/command.js';

/**
 * A throw-away PKI made by the real openssl: a CA, a server certificate for
 * 127.0.0.1 and a client certificate, as AWS IoT's mutual TLS uses them.
 */
export interface TestPki {
  ca: string;
  serverKey: string;
  serverCert: string;
  clientKey: string;
  clientCert: string;
}

async function openssl(dir: string, args: string[]) {
  const result = await runCommand(
    'openssl',
    args.map((a) => a.replace('@', `${dir}/`)),
  );
  if (result.exitCode !== 0) {
    throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
  }
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

async function issue(dir: string, name: string, subject: string, ext: string) {
  await fs.writeFile(path.join(dir, `${name}.ext`), `${ext}\n`);
  await openssl(dir, [
    'req',
    ...EC,
    '-nodes',
    '-keyout',
    `@${name}.key`,
    '-out',
    `@${name}.csr`,
    '-subj',
    subject,
  ]);
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    `@${name}.csr`,
    '-CA',
    '@ca.crt',
    '-CAkey',
    '@ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-out',
    `@${name}.crt`,
    '-extfile',
    `@${name}.ext`,
  ]);
}

export async function makeTestPki(dir: string, clientName: string) {
  await openssl(dir, [
    'req',
    '-x509',
    ...EC,
    '-nodes',
    '-keyout',
    '@ca.key',
    '-out',
    '@ca.crt',
    '-days',
    '1',
    '-subj',
    '/CN=upkeep-test-ca',
  ]);
  await issue(dir, 'server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1');
  await issue(
    dir,
    'client',
    `/CN=${clientName}`,
    'extendedKeyUsage=clientAuth',
  );

  const read = (file: string) => fs.readFile(path.join(dir, file), 'utf8');
  return {
    ca: await read('ca.crt'),
    serverKey: await read('server.key'),
    serverCert: await read('server.crt'),
    clientKey: await read('client.key'),
    clientCert: await read('client.crt'),
  } satisfies TestPki;
}

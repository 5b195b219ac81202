import { generateKeyPairSync } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { writeBundle } from '../../cli/enroll-bundle.js';
import type { BrokerTlsOptions } from '../../local/broker/broker-tls.js';
import type { DeviceDirectory } from '../../local/broker/certificate-auth.js';
import { type LocalCa, loadOrCreateLocalCa } from '../../local/pki/local-ca.js';
import { certificateIdOf, derOf } from '../../local/pki/x509.js';

/** Client, site and cycle group of every benchmark device. */
const TENANT = { clientId: 'bench', siteId: 'lab', cycleGroup: 'client-bench' };

/**
 * Devices as `upkeep enroll` makes them, for the benchmark's own broker: a
 * CA in the work folder, a certificate per thing in an in-memory registry
 * the mTLS listener admits by, and an install bundle per thing with a
 * job-signing key, so that the agent runs as a device runs it (mutual TLS,
 * its cycle group, jobs on).
 */
export class EnrolledDevices {
  readonly #ca: LocalCa;
  readonly #dir: string;
  readonly #certificates = new Map<string, string>();
  readonly #jobSigningPem: string;

  private constructor(ca: LocalCa, dir: string) {
    this.#ca = ca;
    this.#dir = dir;
    const { publicKey } = generateKeyPairSync('ed25519');
    this.#jobSigningPem = publicKey
      .export({ type: 'spki', format: 'pem' })
      .toString();
  }

  static async create(dir: string) {
    return new EnrolledDevices(await loadOrCreateLocalCa(join(dir, 'ca')), dir);
  }

  /** The broker's mTLS listener options, on a free port. */
  async listener(): Promise<BrokerTlsOptions> {
    const server = await this.#ca.issueServer();
    return {
      port: 0,
      ca: this.#ca.certificatePem,
      cert: server.certificatePem,
      key: server.privateKeyPem,
      directory: this.#directory(),
    };
  }

  /** Enrols `thingName` and writes its bundle; resolves with its folder. */
  async enrol(thingName: string, port: number): Promise<string> {
    const issued = await this.#ca.issueDevice(thingName);
    const id = certificateIdOf(derOf(issued.certificatePem));
    this.#certificates.set(id, thingName);
    const dir = join(
      this.#dir,
      `bundle-${thingName}-${this.#certificates.size}`,
    );
    writeBundle(
      dir,
      {
        v: 1,
        endpoint: '127.0.0.1',
        port,
        thingName,
        ...TENANT,
        jobSigning: { keyId: 'bench', publicKeyPem: this.#jobSigningPem },
      },
      {
        certificatePem: issued.certificatePem,
        privateKeyPem: issued.privateKeyPem,
        rootCaPem: this.#ca.certificatePem,
      },
    );
    return dir;
  }

  #directory(): DeviceDirectory {
    const certificates = this.#certificates;
    const events = new EventEmitter();
    const enrolled = (name: string) =>
      [...certificates.values()].includes(name);
    return {
      findCertificate: (id) => {
        const thing = certificates.get(id);
        return thing
          ? { status: 'ACTIVE', things: [thing], policies: ['upkeep-device'] }
          : undefined;
      },
      findThing: (name) =>
        enrolled(name)
          ? { attributes: { cycleGroup: TENANT.cycleGroup } }
          : undefined,
      hasCertificate: enrolled,
      on: (event, listener) => events.on(event, listener),
      off: (event, listener) => events.off(event, listener),
    };
  }
}

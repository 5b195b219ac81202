import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { THING_NAME_PATTERN } from '../../core/index.js';
import { AgentConfigError } from '../errors.js';
import type { TlsMaterial } from './mqtt-session.js';

/**
 * The install bundle `upkeep enroll` writes for one device: where to
 * connect, as which thing, and the files for mutual TLS. The MQTT client id
 * is the thing name; `clientId` is the MSP's client (the tenant).
 */
export const BUNDLE_FILES = {
  config: 'config.json',
  certificate: 'certificate.pem.crt',
  privateKey: 'private.pem.key',
  rootCa: 'root-ca.pem',
} as const;

export const bundleConfigSchema = z.strictObject({
  v: z.literal(1),
  /** The IoT data endpoint (AWS) or 127.0.0.1 (the local stack). */
  endpoint: z.string().min(1),
  /** 8883 on AWS IoT Core. */
  port: z.number().int().min(1).max(65_535),
  thingName: z.string().regex(THING_NAME_PATTERN),
  clientId: z.string().min(1),
  siteId: z.string().min(1),
  /** The group whose cycle triggers the device may receive. */
  cycleGroup: z.string().regex(THING_NAME_PATTERN),
  /** The key remedy job documents are signed with; absent: no jobs. */
  jobSigning: z
    .strictObject({
      keyId: z.string().min(1),
      publicKeyPem: z.string().startsWith('-----BEGIN PUBLIC KEY-----'),
    })
    .optional(),
});

export type BundleConfig = z.infer<typeof bundleConfigSchema>;

/** What the agent takes from a bundle. */
export interface BundleOptions {
  brokerUrl: string;
  thingName: string;
  groups: string[];
  tls: Required<TlsMaterial>;
  /** Remedy jobs, when the bundle carries the deployment's key. */
  jobs?: { publicKeys: Record<string, string> };
}

/** Reads and checks a bundle folder; a bad one fails with the file named. */
export async function readInstallBundle(dir: string): Promise<BundleOptions> {
  const configPath = join(dir, BUNDLE_FILES.config);
  const config = parseConfig(configPath, await readText(configPath));
  const tls = {
    ca: await readText(join(dir, BUNDLE_FILES.rootCa)),
    cert: await readText(join(dir, BUNDLE_FILES.certificate)),
    key: await readText(join(dir, BUNDLE_FILES.privateKey)),
  };
  const host = config.endpoint.includes(':')
    ? `[${config.endpoint}]`
    : config.endpoint;

  return {
    brokerUrl: `mqtts://${host}:${config.port}`,
    thingName: config.thingName,
    groups: [config.cycleGroup],
    tls,
    ...(config.jobSigning
      ? {
          jobs: {
            publicKeys: {
              [config.jobSigning.keyId]: config.jobSigning.publicKeyPem,
            },
          },
        }
      : {}),
  };
}

function parseConfig(path: string, text: string): BundleConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AgentConfigError(`${path} is not JSON`, { cause });
  }
  const parsed = bundleConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AgentConfigError(
      `${path}: ${issue?.path.join('.') || 'config'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

async function readText(path: string) {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new AgentConfigError(`the install bundle lacks ${path}`, { cause });
  }
}

/**
 * `upkeep agent --bundle DIR`: the bundle names the broker, the thing and
 * the TLS files, so flags that set them too are refused rather than
 * silently losing to one side.
 */
export async function bundleFromFlags(flags: {
  bundle?: string;
  broker?: string;
  thing?: string;
  ca?: string;
  cert?: string;
  key?: string;
}): Promise<BundleOptions | undefined> {
  if (flags.bundle === undefined) return undefined;
  const clash = (['broker', 'thing', 'ca', 'cert', 'key'] as const).find(
    (flag) => flags[flag] !== undefined,
  );
  if (clash) {
    throw new AgentConfigError(
      `--${clash} cannot be combined with --bundle, which sets it`,
    );
  }
  return readInstallBundle(flags.bundle);
}

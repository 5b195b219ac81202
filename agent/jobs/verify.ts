import { type KeyObject, verify as verifySignature } from 'node:crypto';
import {
  type CheckKind,
  canonicalJobPayload,
  checkRemedy,
  type JobDocument,
  jobDocumentSchema,
  jobSignatureSchema,
  type RemedyPlatform,
  type UnsignedJobDocument,
} from '../../core/index.js';
import { isoTime } from '../../core/iso-time.js';
import type { RemedyRegistry } from '../remedies/registry.js';
import type { AnyRemedy } from '../remedies/types.js';
import { JobRejection } from './errors.js';

/**
 * Checks a job document before anything of it runs, in this order:
 *
 *   signature present ─▶ well-formed ─▶ key known ─▶ Ed25519 verifies
 *     ─▶ document schema ─▶ this device ─▶ issued/expires ─▶ allow-list
 *     and params ─▶ implemented here ─▶ permitted here ─▶ re-check exists
 *
 * The signature comes first and covers the raw document (without its
 * `signature`), so that nothing an attacker wrote is interpreted before
 * the deployment's key vouches for it. Every refusal is a JobRejection
 * whose reason goes into the REJECTED update.
 */
export interface VerifyContext {
  thingName: string;
  keys: ReadonlyMap<string, KeyObject>;
  now: Date;
  platform: RemedyPlatform;
  remedies: RemedyRegistry;
  /** Checks this agent has: a re-check must be one of them. */
  checks: readonly CheckKind[];
  /** Allowed difference between the signer's clock and ours, ms. */
  clockSkewMs: number;
  /** False when resuming an execution this agent already accepted. */
  checkTimes: boolean;
}

export interface VerifiedJob {
  document: JobDocument;
  remedy: AnyRemedy;
  params: Record<string, unknown>;
  recheck: CheckKind;
}

export function verifyJobDocument(
  raw: unknown,
  ctx: VerifyContext,
): VerifiedJob {
  verifySigned(raw, ctx.keys);
  const document = parseDocument(raw);
  checkDevice(document, ctx.thingName);
  if (ctx.checkTimes) checkTimes(document, ctx.now, ctx.clockSkewMs);

  const { remedy, params } = resolveRemedy(document, ctx);
  const recheck = document.recheck ?? remedy.recheck(params);
  if (!recheck || !ctx.checks.includes(recheck)) {
    throw new JobRejection(
      'recheck-unavailable',
      `this agent cannot re-check with ${recheck ?? 'no check named'}`,
    );
  }
  return { document, remedy, params, recheck };
}

function verifySigned(raw: unknown, keys: ReadonlyMap<string, KeyObject>) {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new JobRejection(
      'document-not-object',
      'the job document is not a JSON object',
    );
  }
  const { signature, ...unsigned } = raw as Record<string, unknown>;
  if (signature === undefined) {
    throw new JobRejection(
      'signature-missing',
      'the job document is not signed',
    );
  }

  const parsed = jobSignatureSchema.safeParse(signature);
  const bytes = parsed.success
    ? Buffer.from(parsed.data.value, 'base64')
    : undefined;
  if (!parsed.success || bytes?.length !== 64) {
    throw new JobRejection(
      'signature-malformed',
      'the signature is not {alg: ed25519, keyId, value: base64 of 64 bytes}',
    );
  }
  const key = keys.get(parsed.data.keyId);
  if (!key) {
    throw new JobRejection(
      'signature-unknown-key',
      `no public key ${parsed.data.keyId.slice(0, 64)} is configured`,
    );
  }

  const payload = canonicalJobPayload(unsigned as UnsignedJobDocument);
  if (!verifySignature(null, Buffer.from(payload, 'utf8'), key, bytes)) {
    throw new JobRejection(
      'signature-invalid',
      `the signature does not verify with key ${parsed.data.keyId}`,
    );
  }
}

function parseDocument(raw: unknown): JobDocument {
  const parsed = jobDocumentSchema.safeParse(raw);
  if (parsed.success) return parsed.data;

  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') || 'document';
  throw new JobRejection(
    'document-invalid',
    `the job document is invalid at ${where}: ${issue?.message}`,
  );
}

function checkDevice(document: JobDocument, thingName: string) {
  if (document.deviceId === thingName) return;
  // A ring deployment is one job for many devices: each must be listed.
  if (document.devices?.includes(thingName)) return;
  throw new JobRejection(
    'wrong-device',
    `the job is for ${document.deviceId}, this device is ${thingName}`,
  );
}

function checkTimes(document: JobDocument, now: Date, skewMs: number) {
  const t = now.getTime();
  if (Date.parse(document.expiresAt) <= t) {
    throw new JobRejection(
      'expired',
      `the job expired at ${document.expiresAt}, now is ${isoTime(now)}`,
    );
  }
  if (Date.parse(document.issuedAt) > t + skewMs) {
    throw new JobRejection(
      'not-yet-valid',
      `the job is issued at ${document.issuedAt}, later than now ` +
        `(${isoTime(now)}) plus the allowed clock skew`,
    );
  }
}

function resolveRemedy(document: JobDocument, ctx: VerifyContext) {
  const checked = checkRemedy(document.remedy, document.params);
  if (!checked.ok) {
    const reason =
      checked.code === 'bad-params' ? 'bad-params' : 'unknown-remedy';
    throw new JobRejection(reason, checked.reason);
  }

  const name = document.remedy as Parameters<RemedyRegistry['get']>[0];
  const remedy = ctx.remedies.get(name, ctx.platform);
  if (!remedy) {
    throw new JobRejection(
      'not-implemented',
      `${name} is allow-listed but this agent does not implement it on ` +
        ctx.platform,
    );
  }

  const refusal = remedy.refuse?.(checked.params, ctx.platform);
  if (refusal) throw new JobRejection(refusal.reason, refusal.message);
  return { remedy, params: checked.params };
}

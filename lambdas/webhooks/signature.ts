import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `Upkeep-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
 * `<t>.<raw body>` with the subscription's secret. During a secret's
 * rotation grace the header carries one v1 per secret, newest first.
 */
export const SIGNATURE_HEADER = 'Upkeep-Signature';
export const EVENT_ID_HEADER = 'Upkeep-Event-Id';

export const signatureDefaults = {
  /** A signature older or newer than this is refused, s (replay window). */
  toleranceSeconds: 300,
} as const;

export function signatureOf(secret: string, t: number, body: string) {
  return createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}

export function signatureHeader(secrets: string[], t: number, body: string) {
  const parts = secrets.map((s) => `v1=${signatureOf(s, t, body)}`);
  return [`t=${t}`, ...parts].join(',');
}

export type VerifyFailure =
  | 'malformed'
  | 'outside-tolerance'
  | 'no-matching-signature';

/**
 * What a receiver does: parse the header, refuse a timestamp outside the
 * tolerance (a replayed delivery), then compare each v1 in constant time.
 */
export function verifySignature(input: {
  header: string | undefined;
  body: string;
  secret: string;
  nowSeconds: number;
  toleranceSeconds?: number;
}): { ok: true } | { ok: false; reason: VerifyFailure } {
  const fields = (input.header ?? '').split(',').map((p) => p.split('='));
  const t = Number(fields.find(([k]) => k === 't')?.[1]);
  const candidates = fields.filter(([k]) => k === 'v1').map(([, v]) => v);
  if (!Number.isInteger(t) || candidates.length === 0) {
    return { ok: false, reason: 'malformed' };
  }

  const tolerance =
    input.toleranceSeconds ?? signatureDefaults.toleranceSeconds;
  if (Math.abs(input.nowSeconds - t) > tolerance) {
    return { ok: false, reason: 'outside-tolerance' };
  }
  const expected = Buffer.from(signatureOf(input.secret, t, input.body), 'hex');
  const match = candidates.some((candidate) => {
    const given = Buffer.from(candidate ?? '', 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return match ? { ok: true } : { ok: false, reason: 'no-matching-signature' };
}

import { signatureHeader } from './signature.js';

/** What one POST to a receiver came to. */
export interface PostOutcome {
  /** The receiver's status; undefined on a timeout or connection error. */
  status?: number;
  latencyMs: number;
  error?: string;
  /** Retry-After from a 429 or 503, s. */
  retryAfterSeconds?: number;
}

/**
 * POSTs the event's JSON, signed, with a deadline. Redirects are not
 * followed: a receiver that moved must update its subscription, and a
 * redirect must not lead the request somewhere the URL policy refused.
 */
export async function postDelivery(input: {
  url: string;
  body: string;
  eventId: string;
  eventType: string;
  secrets: string[];
  nowSeconds: number;
  timeoutMs: number;
  clock: () => number;
}): Promise<PostOutcome> {
  const started = input.clock();
  try {
    const response = await fetch(input.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(input.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Upkeep-Webhooks/1',
        'Upkeep-Event-Id': input.eventId,
        'Upkeep-Event-Type': input.eventType,
        'Upkeep-Signature': signatureHeader(
          input.secrets,
          input.nowSeconds,
          input.body,
        ),
      },
      body: input.body,
    });
    // Read and drop the body so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      status: response.status,
      latencyMs: input.clock() - started,
      ...(response.ok ? {} : { error: `HTTP ${response.status}` }),
      ...(Number.isFinite(retryAfter) && retryAfter > 0
        ? { retryAfterSeconds: retryAfter }
        : {}),
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const name = (error as Error).name;
    return {
      latencyMs: input.clock() - started,
      error:
        name === 'TimeoutError'
          ? `no answer within ${input.timeoutMs} ms`
          : (cause?.code ?? (error as Error).message),
    };
  }
}

import type { Logger } from '@aws-lambda-powertools/logger';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { parseUpkeepEvent, type UpkeepEvent } from '../../core/events.js';
import { isRetryable, retryDelaySeconds } from './backoff.js';
import type { WebhooksConfig } from './config.js';
import type { DeliveryLog, DeliveryRecord } from './delivery-log.js';
import { type PostOutcome, postDelivery } from './post-delivery.js';
import type { SubscriptionStore } from './subscriptions.js';
import { checkWebhookUrl } from './url-policy.js';

/** One attempt to deliver one event to one subscription (a queue message). */
export interface DeliveryJob {
  kind: 'delivery';
  subscriptionId: string;
  attempt: number;
  /** Not before this time, ms: SQS delays at most 15 minutes at a time. */
  notBeforeMs: number;
  event: UpkeepEvent;
}

/** SQS DelaySeconds maximum. */
const MAX_DELAY_SECONDS = 900;

export interface DeliveriesDeps {
  config: Pick<
    WebhooksConfig,
    | 'queueUrl'
    | 'deadLetterQueueUrl'
    | 'maxAttempts'
    | 'backoffBaseSeconds'
    | 'backoffCapSeconds'
    | 'timeoutMs'
    | 'urlMode'
  >;
  sqs: SQSClient;
  subscriptions: SubscriptionStore;
  log: DeliveryLog;
  logger: Logger;
  now: () => number;
  random: () => number;
}

/**
 * Fan-out and attempts. An event from the bus becomes one job per
 * subscription that wants it; each job is one POST:
 *
 *   2xx ─▶ delivered            4xx (not 408/429) ─▶ rejected, no retry
 *   5xx, 408, 429, timeout, connection error
 *     ─▶ attempt < max: the job again, delayed (backoff.ts)
 *     ─▶ attempt = max: the dead-letter queue
 *
 * Every attempt is a delivery-log item (delivery-log.ts).
 */
export class Deliveries {
  readonly #d: DeliveriesDeps;

  constructor(deps: DeliveriesDeps) {
    this.#d = deps;
  }

  /** Resolves the number of jobs queued. */
  async fanOut(detail: unknown): Promise<number> {
    const event = parseUpkeepEvent(detail);
    const recipients = await this.#d.subscriptions.recipients(
      event.clientId,
      event.type,
    );
    for (const subscription of recipients) {
      await this.#enqueue(
        {
          kind: 'delivery',
          subscriptionId: subscription.id,
          attempt: 1,
          notBeforeMs: 0,
          event,
        },
        0,
      );
    }
    this.#d.logger.debug('event fanned out', {
      eventId: event.id,
      type: event.type,
      subscriptions: recipients.length,
    });
    return recipients.length;
  }

  async attempt(
    job: DeliveryJob,
  ): Promise<DeliveryRecord['result'] | 'waiting' | 'gone'> {
    const now = this.#d.now();
    if (job.notBeforeMs > now) {
      await this.#enqueue(job, Math.ceil((job.notBeforeMs - now) / 1000));
      return 'waiting';
    }
    const subscription = await this.#d.subscriptions.get(job.subscriptionId);
    if (!subscription) {
      this.#d.logger.info('subscription gone, delivery dropped', {
        subscriptionId: job.subscriptionId,
        eventId: job.event.id,
      });
      return 'gone';
    }

    const outcome = await this.#post(subscription.url, job, () =>
      this.#d.subscriptions.signingSecrets(subscription, now),
    );
    return this.#settle(job, outcome);
  }

  async #post(
    url: string,
    job: DeliveryJob,
    secrets: () => string[],
  ): Promise<PostOutcome> {
    try {
      checkWebhookUrl(url, this.#d.config.urlMode);
    } catch (error) {
      return { status: 400, latencyMs: 0, error: (error as Error).message };
    }
    return postDelivery({
      url,
      body: JSON.stringify(job.event),
      eventId: job.event.id,
      eventType: job.event.type,
      secrets: secrets(),
      nowSeconds: Math.floor(this.#d.now() / 1000),
      timeoutMs: this.#d.config.timeoutMs,
      clock: this.#d.now,
    });
  }

  async #settle(job: DeliveryJob, outcome: PostOutcome) {
    const { config } = this.#d;
    const ok = outcome.status !== undefined && outcome.status < 300;
    const now = this.#d.now();
    let result: DeliveryRecord['result'];
    let nextAt: number | undefined;
    if (ok) {
      result = 'delivered';
    } else if (!isRetryable(outcome)) {
      result = 'rejected';
    } else if (job.attempt >= config.maxAttempts) {
      result = 'dead-lettered';
      await this.#deadLetter(job, outcome);
    } else {
      const delay = Math.max(
        retryDelaySeconds(job.attempt, {
          baseSeconds: config.backoffBaseSeconds,
          capSeconds: config.backoffCapSeconds,
          random: this.#d.random,
        }),
        outcome.retryAfterSeconds ?? 0,
      );
      nextAt = now + delay * 1000;
      await this.#enqueue(
        { ...job, attempt: job.attempt + 1, notBeforeMs: nextAt },
        delay,
      );
      result = 'retrying';
    }

    await this.#d.log.record({
      subscriptionId: job.subscriptionId,
      eventId: job.event.id,
      eventType: job.event.type,
      attempt: job.attempt,
      at: new Date(now).toISOString(),
      result,
      status: outcome.status ?? null,
      latencyMs: outcome.latencyMs,
      error: outcome.error ?? null,
      nextAttemptAt:
        nextAt === undefined ? null : new Date(nextAt).toISOString(),
    });
    this.#logResult(job, result, outcome);
    return result;
  }

  #logResult(job: DeliveryJob, result: string, outcome: PostOutcome) {
    const fields = {
      subscriptionId: job.subscriptionId,
      eventId: job.event.id,
      attempt: job.attempt,
      result,
      status: outcome.status,
      error: outcome.error,
    };
    // A receiver's outage is the receiver's; only a dead letter needs us.
    if (result === 'dead-lettered') {
      this.#d.logger.error('webhook delivery dead-lettered', fields);
    } else if (result === 'delivered') {
      this.#d.logger.info('webhook delivered', fields);
    } else {
      this.#d.logger.warn('webhook delivery failed', fields);
    }
  }

  #enqueue(job: DeliveryJob, delaySeconds: number) {
    return this.#d.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.#d.config.queueUrl,
        MessageBody: JSON.stringify(job),
        DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, delaySeconds)),
      }),
    );
  }

  #deadLetter(job: DeliveryJob, outcome: PostOutcome) {
    return this.#d.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.#d.config.deadLetterQueueUrl,
        MessageBody: JSON.stringify(job),
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: 'attempts-exhausted' },
          detail: {
            DataType: 'String',
            StringValue: outcome.error ?? `HTTP ${outcome.status}`,
          },
        },
      }),
    );
  }
}

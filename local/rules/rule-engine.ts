import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TOPIC_RULES, type TopicRuleDefinition } from '../../core/index.js';
import type { InternalMessage, LocalBroker } from '../broker/broker.js';
import { buildEnvelope, buildErrorMessage } from './envelope.js';

export interface RuleEngineOptions {
  broker: Pick<LocalBroker, 'subscribeInternal'>;
  /** The real SQS client, pointed at the SQS stand-in. */
  sqs: SQSClient;
  /**
   * The URL of each logical queue a rule may name. A rule whose queue has
   * no URL here is not started (a stack without that consumer).
   */
  queueUrls: Partial<Record<TopicRuleDefinition['queue'], string>>;
  /** Where a failed send goes, as the CDK rule's errorAction. */
  errorQueueUrl: string;
  /** @default TOPIC_RULES from core */
  rules?: readonly TopicRuleDefinition[];
}

/**
 * Events: `routed` ({rule, topic, messageId}), `action-failed` ({rule,
 * topic, error}) when a send failed and the error action took the message,
 * and `lost` ({rule, topic, error}) when the error action failed as well and
 * the message is gone, as it would be in IoT Core.
 */
export interface RuleEngine {
  events: EventEmitter;
  /** Resolves when every message received so far has been sent. */
  drain(): Promise<void>;
  /** Stops routing new messages, then drains. */
  close(): Promise<void>;
}

/**
 * The IoT Rules stand-in: one in-process subscription per rule topic filter,
 * each message turned into the rule's envelope and sent to its queue.
 */
export async function startRuleEngine(
  options: RuleEngineOptions,
): Promise<RuleEngine> {
  const events = new EventEmitter();
  const inFlight = new Set<Promise<void>>();
  const route = routeWith(options, events);

  // Nothing a message does may escape as an unhandled rejection: an
  // envelope the schema refuses is reported as lost, like a failed send.
  const track = (rule: TopicRuleDefinition) => (message: InternalMessage) => {
    const sending = route(rule, message)
      .catch((error: unknown) => {
        events.emit('lost', { rule: rule.name, topic: message.topic, error });
      })
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  };

  const rules = (options.rules ?? TOPIC_RULES).filter(
    (rule) => options.queueUrls[rule.queue] !== undefined,
  );
  const unsubscribes = await Promise.all(
    rules.map((rule) =>
      options.broker.subscribeInternal(rule.topicFilter, track(rule)),
    ),
  );
  const drain = async () => {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  };

  return {
    events,
    drain,
    close: async () => {
      await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe()));
      await drain();
    },
  };
}

function routeWith(options: RuleEngineOptions, events: EventEmitter) {
  const send = async (queueUrl: string, body: unknown) => {
    const command = new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(body),
    });
    return (await options.sqs.send(command)).MessageId;
  };

  return async (rule: TopicRuleDefinition, message: InternalMessage) => {
    const envelope = buildEnvelope(message);
    const queueUrl = options.queueUrls[rule.queue] as string;
    const detail = { rule: rule.name, topic: envelope.topic };

    try {
      const messageId = await send(queueUrl, envelope);
      events.emit('routed', { ...detail, messageId });
    } catch (error) {
      const errorMessage = buildErrorMessage(rule, envelope, {
        queueUrl,
        error,
        traceId: randomUUID(),
      });
      await send(options.errorQueueUrl, errorMessage).then(
        () => events.emit('action-failed', { ...detail, error }),
        (lost: unknown) => events.emit('lost', { ...detail, error: lost }),
      );
    }
  };
}

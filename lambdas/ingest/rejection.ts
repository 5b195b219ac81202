import { UpkeepLambdaError } from '../lib/errors.js';

/**
 * Why ingest refused a message for good. The code travels with the message
 * to the dead-letter queue as its `reason` attribute; keep the codes stable.
 */
export const REJECTION_REASONS = [
  /** The queue message body is not JSON. */
  'malformed-envelope',
  /** The body is JSON but not a rule envelope (core ruleEnvelopeSchema). */
  'envelope-invalid',
  /** The envelope's topic is not a device hello or reports topic. */
  'unknown-topic',
  /** The MQTT client id is not the topic's thing. */
  'client-id-mismatch',
  /** The payload is not base64. */
  'bad-base64',
  /** The decoded payload is not JSON. */
  'malformed-json',
  /** The payload fails the hello or report schema. */
  'schema-invalid',
  /** The payload's deviceId is not the topic's thing. */
  'thing-mismatch',
  /** No registration exists and auto-registration is off. */
  'unknown-device',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** A permanent rejection: dead-letter the message, do not retry it. */
export class MessageRejectedError extends UpkeepLambdaError {
  override readonly code: RejectionReason;
  readonly thingName: string | undefined;

  constructor(reason: RejectionReason, detail: string, thingName?: string) {
    super(reason, detail);
    this.name = 'MessageRejectedError';
    this.code = reason;
    this.thingName = thingName;
  }
}

/** A message attribute as the SQS JSON protocol carries it. */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** Base64, as the JSON protocol encodes blobs. */
  BinaryValue?: string;
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

/** One message as the stand-in keeps (and persists) it. */
export interface StoredMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes: MessageAttributes;
  md5OfMessageAttributes?: string;
  /** ms since the epoch. */
  sentTimestamp: number;
  senderId: string;
  receiveCount: number;
  /** ms since the epoch of the first receive. */
  firstReceiveTimestamp?: number;
  /** The message may be received from this time on (ms since the epoch). */
  visibleAt: number;
  /** Nonce of the latest receive; only its receipt handle deletes. */
  receipt?: string;
  /** ARN of the queue this message was redriven from. */
  deadLetterSourceArn?: string;
}

export interface QueueOptions {
  /** Seconds a received message stays hidden. @default 30 (as SQS) */
  visibilityTimeoutSeconds?: number;
  /** Default long-poll wait of ReceiveMessage, seconds. @default 0 */
  receiveWaitTimeSeconds?: number;
  /** Seconds a message is kept. @default 345_600 (4 days, as SQS) */
  messageRetentionSeconds?: number;
  /** Default delay of a sent message, seconds. @default 0 */
  delaySeconds?: number;
  /** Redrive policy: move a message after this many receives. */
  deadLetterQueue?: { name: string; maxReceiveCount: number };
}

export type ResolvedQueueOptions = Required<
  Omit<QueueOptions, 'deadLetterQueue'>
> &
  Pick<QueueOptions, 'deadLetterQueue'>;

export const queueDefaults = {
  visibilityTimeoutSeconds: 30,
  receiveWaitTimeSeconds: 0,
  messageRetentionSeconds: 345_600,
  delaySeconds: 0,
} as const;

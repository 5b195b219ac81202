import { SqsStandInError } from './errors.js';

/**
 * A receipt handle names the queue, the message and the receive it came
 * from, so that only the latest receive's handle deletes the message (as in
 * SQS, an older handle is accepted but may not delete).
 */
export interface ReceiptHandle {
  queue: string;
  messageId: string;
  nonce: string;
}

export function formatReceiptHandle(handle: ReceiptHandle) {
  const text = [handle.queue, handle.messageId, handle.nonce].join('\n');
  return Buffer.from(text, 'utf8').toString('base64url');
}

export function parseReceiptHandle(text: string, queue: string) {
  const parts = Buffer.from(text, 'base64url').toString('utf8').split('\n');
  const [name, messageId, nonce] = parts;
  if (parts.length !== 3 || !messageId || !nonce || name !== queue) {
    throw new SqsStandInError(
      'receipt-handle-invalid',
      `The input receipt handle "${text}" is not a valid receipt handle.`,
    );
  }
  return { queue: name, messageId, nonce } satisfies ReceiptHandle;
}

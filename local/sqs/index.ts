import { listenSqs } from './server.js';
import { SqsStandIn } from './stand-in.js';

export { SQS_ERRORS, type SqsErrorCode, SqsStandInError } from './errors.js';
export type {
  BatchOutcome,
  PollOptions,
  QueuePoller,
  SqsBatchHandler,
} from './poller.js';
export {
  LOCAL_ACCOUNT_ID,
  type ReceiveOptions,
  SqsStandIn,
} from './stand-in.js';
export type {
  MessageAttributeValue,
  QueueOptions,
  StoredMessage,
} from './types.js';

export interface SqsStandInOptions {
  /**
   * Folder for the queues' journals (`<name>.jsonl`); messages survive a
   * restart on the same folder. @default undefined (in memory only)
   */
  stateDir?: string;
  /** TCP port on 127.0.0.1. @default 0 (an ephemeral port) */
  port?: number;
  /** Region in ARNs and events. @default 'us-east-1' */
  region?: string;
}

/**
 * Starts the SQS stand-in's HTTP endpoint and returns the stand-in.
 *
 * Known limitation: standard queues only (no FIFO, which the IoT rule
 * action cannot target anyway), no message size limit, no IAM, and
 * ListQueues without pagination; the event source mapping runs one batch at
 * a time where Lambda would scale out. None of this changes what the
 * ingest path does; add them when a caller needs them.
 */
export async function createSqsStandIn(options: SqsStandInOptions = {}) {
  const standIn = new SqsStandIn(options);
  const { server, endpoint } = await listenSqs(standIn, options.port ?? 0);
  standIn.attach(server, endpoint);
  return standIn;
}

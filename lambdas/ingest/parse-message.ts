import type * as z from 'zod';
import {
  type RuleEnvelope,
  ruleEnvelopeSchema,
} from '../../core/schemas/envelope.js';
import { type Hello, helloSchema } from '../../core/schemas/hello.js';
import { type Report, reportSchema } from '../../core/schemas/report.js';
import { type ParsedDeviceTopic, parseDeviceTopic } from '../../core/topics.js';
import { MessageRejectedError } from './rejection.js';

interface Common {
  thingName: string;
  clientId: string;
  /** Broker receive time, ms since the epoch. */
  receivedAtMs: number;
}

export type IngestMessage =
  | (Common & { kind: 'hello'; hello: Hello })
  | (Common & { kind: 'report'; report: Report });

const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** How many zod issues a rejection's detail lists. */
const MAX_ISSUES = 5;

/**
 * Turns a queue message body into a validated hello or report, or throws
 * MessageRejectedError. The checks run in this order:
 *   parseEnvelope, readTopic (with the client id), decodePayload,
 *   validatePayload, checkDevice
 * A device may speak only for itself: the client id must be the topic's
 * thing, and so must the payload's deviceId.
 */
export function parseMessage(body: string): IngestMessage {
  const envelope = parseEnvelope(body);
  const topic = readTopic(envelope);
  const payload = decodePayload(envelope.payload, topic.thingName);
  const message = validatePayload(topic, envelope, payload);
  checkDevice(message);
  return message;
}

function readTopic(envelope: RuleEnvelope) {
  const topic = parseDeviceTopic(envelope.topic);
  if (!topic) {
    throw new MessageRejectedError(
      'unknown-topic',
      `topic "${envelope.topic}" is not a device hello or reports topic`,
    );
  }
  if (envelope.clientId !== topic.thingName) {
    throw new MessageRejectedError(
      'client-id-mismatch',
      `client id "${envelope.clientId}" published on the topic of ` +
        `"${topic.thingName}"`,
      topic.thingName,
    );
  }
  return topic;
}

function validatePayload(
  topic: ParsedDeviceTopic,
  envelope: RuleEnvelope,
  payload: unknown,
): IngestMessage {
  const { thingName } = topic;
  const common = {
    thingName,
    clientId: envelope.clientId,
    receivedAtMs: envelope.receivedAt,
  };
  return topic.channel === 'hello'
    ? {
        ...common,
        kind: 'hello',
        hello: validate(helloSchema, payload, thingName),
      }
    : {
        ...common,
        kind: 'report',
        report: validate(reportSchema, payload, thingName),
      };
}

/** A device may speak only for itself. */
function checkDevice(message: IngestMessage) {
  const deviceId =
    message.kind === 'hello' ? message.hello.deviceId : message.report.deviceId;
  if (deviceId !== message.thingName) {
    throw new MessageRejectedError(
      'thing-mismatch',
      `payload deviceId "${deviceId}" differs from topic thing ` +
        `"${message.thingName}"`,
      message.thingName,
    );
  }
}

function parseEnvelope(body: string) {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new MessageRejectedError(
      'malformed-envelope',
      `queue message is not JSON: ${(error as Error).message}`,
    );
  }
  const result = ruleEnvelopeSchema.safeParse(json);
  if (!result.success) {
    throw new MessageRejectedError('envelope-invalid', summarise(result.error));
  }
  return result.data;
}

function decodePayload(base64: string, thingName: string): unknown {
  if (!BASE64.test(base64)) {
    throw new MessageRejectedError(
      'bad-base64',
      'payload is not base64',
      thingName,
    );
  }
  const text = Buffer.from(base64, 'base64').toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MessageRejectedError(
      'malformed-json',
      `payload is not JSON: ${(error as Error).message}`,
      thingName,
    );
  }
}

function validate<T>(
  schema: z.ZodType<T>,
  payload: unknown,
  thingName: string,
): T {
  const result = schema.safeParse(payload);
  if (!result.success) {
    throw new MessageRejectedError(
      'schema-invalid',
      summarise(result.error),
      thingName,
    );
  }
  return result.data;
}

/** "path: message" for the first few issues, e.g. "findings.0.code: ...". */
function summarise(error: z.ZodError) {
  const issues = error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = issue.path.map(String).join('.') || '(root)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length - issues.length;
  return issues.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

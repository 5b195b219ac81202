import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { keys } from '../../core/table.js';

/**
 * An SDK request handler that answers in memory instead of sending: it is
 * the seam where the real clients would open a socket, so everything above
 * it (command serialisation, SigV4 signing, response parsing, retries'
 * bookkeeping) still runs. Used ONLY by the CPU-per-report measurement, to
 * take I/O out of the figure; the throughput run uses dynalite and the SQS
 * stand-in over loopback.
 *
 * It keeps no table. It answers as a table in steady state would:
 *   GetItem of a META item   the device, registered under client `local`
 *   any other GetItem        no item
 *   UpdateItem of META       applied; with ReturnValues ALL_NEW, the device
 *   PutItem, UpdateItem      applied (every condition holds)
 *   Query                    no items (no open finding to resolve)
 *   SQS SendMessage          a message id
 * so each report takes the write path of a known device's new report.
 */
export class MemoryTransport {
  /** Requests answered, by `<service>.<operation>`. */
  readonly calls = new Map<string, number>();
  /** Request body bytes handed to the transport. */
  requestBytes = 0;
  readonly metadata = { handlerProtocol: 'memory' };

  async handle(request: TransportRequest) {
    const target = String(request.headers['x-amz-target'] ?? '');
    const body = bodyText(request.body);
    this.requestBytes += Buffer.byteLength(body);
    const operation = target.split('.').pop() ?? 'unknown';
    const service = target.startsWith('DynamoDB') ? 'dynamodb' : 'sqs';
    const key = `${service}.${operation}`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);

    const answer = answerFor(service, operation, body);
    return {
      response: {
        statusCode: 200,
        reason: 'OK',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-requestid': 'memory-transport',
        },
        body: new TextEncoder().encode(JSON.stringify(answer)),
      },
    };
  }

  updateHttpClientConfig() {}

  httpHandlerConfigs() {
    return {};
  }

  destroy() {}

  /** Clears the counters (after a warm-up). */
  reset() {
    this.calls.clear();
    this.requestBytes = 0;
  }

  /** As the client options' `requestHandler`. */
  asRequestHandler() {
    return this as unknown as DynamoDBClientConfig['requestHandler'];
  }
}

interface TransportRequest {
  headers: Record<string, string | undefined>;
  body?: unknown;
}

const utf8 = new TextDecoder();

/**
 * The SDK hands JSON bodies over as a string or as bytes. Buffer.from would
 * call the bytes' valueOf, which the SDK's byte adapter warns about.
 */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return utf8.decode(body);
  return '';
}

function answerFor(service: string, operation: string, body: string) {
  if (service === 'sqs') return { MessageId: 'memory-transport' };

  switch (operation) {
    case 'GetItem':
      return { Item: registeredDevice(body) };
    case 'UpdateItem':
      return updateItemAnswer(body);
    case 'Query':
      return { Items: [], Count: 0, ScannedCount: 0 };
    default:
      return {};
  }
}

interface KeyedRequest {
  Key?: Record<string, { S?: string }>;
  ReturnValues?: string;
  UpdateExpression?: string;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/**
 * An update of META that asks for the item back gets the registration with
 * what the update set (`name = :value` pairs), as the table would return.
 */
function updateItemAnswer(body: string) {
  const request = JSON.parse(body) as KeyedRequest;
  const device = registeredDevice(body);
  if (!device || request.ReturnValues !== 'ALL_NEW') return {};

  const values = request.ExpressionAttributeValues ?? {};
  const assignments = (request.UpdateExpression ?? '').matchAll(
    /(\w+) = (:\w+)/g,
  );
  const set = [...assignments].map(([, name, value]) => [
    name,
    values[value as string],
  ]);
  return { Attributes: { ...device, ...Object.fromEntries(set) } };
}

/** The META item a request's key names, or undefined for any other key. */
function registeredDevice(body: string) {
  const request = JSON.parse(body) as KeyedRequest;
  const key = request.Key;
  const devicePrefix = keys.device('');
  const pk = key?.pk?.S;
  if (key?.sk?.S !== keys.meta() || !pk?.startsWith(devicePrefix)) {
    return undefined;
  }

  const thingName = pk.slice(devicePrefix.length);
  return {
    pk: { S: pk },
    sk: { S: keys.meta() },
    thingName: { S: thingName },
    clientId: { S: 'local' },
    registeredAt: { S: '2026-11-01T00:00:00.000Z' },
    gsi1pk: { S: keys.client('local') },
    gsi1sk: { S: keys.device(thingName) },
  };
}

import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACTIONS } from './actions.js';
import { SqsStandInError } from './errors.js';
import type { SqsStandIn } from './stand-in.js';

const TARGET_PREFIX = 'AmazonSQS.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** SQS caps a request at 1 MiB of message data; leave room for the rest. */
const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

/**
 * Serves the SQS JSON 1.0 protocol (X-Amz-Target: AmazonSQS.<Operation>)
 * that @aws-sdk/client-sqs speaks, on 127.0.0.1 only. Errors carry the
 * `__type` and the awsQuery compatibility header that the SDK maps to its
 * exception classes (QueueDoesNotExist, ReceiptHandleIsInvalid, ...).
 */
export async function listenSqs(standIn: SqsStandIn, port: number) {
  const server = createServer((req, res) => {
    handle(standIn, req, res).catch((error: unknown) => {
      standIn.emit('error', error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return { server, endpoint: `http://127.0.0.1:${address.port}` };
}

async function handle(
  standIn: SqsStandIn,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const requestId = randomUUID();
  try {
    const operation = operationOf(req);
    const input = await readJson(req);
    const output = await operation(standIn, input);
    reply(res, 200, requestId, output);
  } catch (error) {
    if (!(error instanceof SqsStandInError)) throw error;
    reply(
      res,
      error.status,
      requestId,
      {
        __type: `com.amazonaws.sqs#${error.awsType}`,
        message: error.message,
      },
      `${error.queryCode};Sender`,
    );
  }
}

function operationOf(req: IncomingMessage) {
  const target = req.headers['x-amz-target'];
  const name =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX)
      ? target.slice(TARGET_PREFIX.length)
      : '';
  const operation = req.method === 'POST' ? ACTIONS[name] : undefined;
  if (!operation) {
    throw new SqsStandInError(
      'unsupported-operation',
      `The stand-in does not serve ${String(target)}`,
    );
  }
  return operation;
}

async function readJson(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) {
      throw new SqsStandInError('invalid-parameter', 'Request is too large');
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8') || '{}';
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new SqsStandInError('invalid-parameter', 'Body is not JSON');
  }
}

function reply(
  res: ServerResponse,
  status: number,
  requestId: string,
  body: unknown,
  queryError?: string,
) {
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPE,
    'x-amzn-requestid': requestId,
  };
  if (queryError) headers['x-amzn-query-error'] = queryError;
  res.writeHead(status, headers).end(JSON.stringify(body));
}

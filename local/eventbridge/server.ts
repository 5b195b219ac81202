import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { closeServer, listen } from '../net/listen.js';
import type { LocalEventBus, PutEntry } from './bus.js';

const TARGET = 'AWSEvents.PutEvents';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** PutEvents caps a request at 256 KB of entries; leave room for JSON. */
const MAX_REQUEST_BYTES = 512 * 1024;

/**
 * Serves the EventBridge JSON 1.1 protocol that @aws-sdk/client-eventbridge
 * speaks (X-Amz-Target: AWSEvents.PutEvents), on 127.0.0.1 only. Only
 * PutEvents is served: the rules are set up in code from the same
 * definitions infra deploys (local/eventbridge/local-events.ts).
 */
export async function listenEventBridge(bus: LocalEventBus, port = 0) {
  const server = createServer((req, res) => {
    handle(bus, req, res).catch((error: unknown) => {
      bus.emit('fault', error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const bound = await listen(server, '127.0.0.1', port);
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    close: () => closeServer(server as Server),
  };
}

async function handle(
  bus: LocalEventBus,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const requestId = randomUUID();
  if (req.method !== 'POST' || req.headers['x-amz-target'] !== TARGET) {
    return reply(res, 400, requestId, {
      __type: 'UnknownOperationException',
      message: `The stand-in serves ${TARGET} only`,
    });
  }
  const input = await readJson(req);
  const entries = (input as { Entries?: PutEntry[] } | undefined)?.Entries;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
    return reply(res, 400, requestId, {
      __type: 'ValidationException',
      message: 'Entries must hold 1 to 10 entries',
    });
  }

  const results = bus.put(entries);
  reply(res, 200, requestId, {
    FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length,
    Entries: results,
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

function reply(
  res: ServerResponse,
  status: number,
  requestId: string,
  body: unknown,
) {
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'x-amzn-requestid': requestId,
  });
  res.end(JSON.stringify(body));
}

import { EventEmitter } from 'node:events';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { LocalBroker } from '../broker/broker.js';
import {
  assertLoopback,
  assertPort,
  closeServer,
  listen,
  urlHost,
} from '../net/listen.js';
import { ShadowRequestError } from '../shadow/shadow-document.js';
import type { ShadowService } from '../shadow/shadow-service.js';

/**
 * The AWS IoT data-plane HTTP API the Lambdas call, served so that the real
 * `@aws-sdk/client-iot-data-plane` works with an endpoint override:
 *
 *   POST /topics/{topic}?qos=0|1        Publish, into the local broker
 *   GET  /things/{thing}/shadow?name=N  GetThingShadow (named shadows)
 *   POST /things/{thing}/shadow?name=N  UpdateThingShadow
 *
 * Errors are what the SDK reads back into its exception classes: the
 * status, `x-amzn-ErrorType` and a JSON body with `message`.
 * https://docs.aws.amazon.com/iot/latest/apireference/API_Operations_AWS_IoT_Data_Plane.html
 */
export const dataPlaneDefaults = {
  host: '127.0.0.1',
  /** Away from the other local ports (18443 is the IoT control plane). */
  port: 18_445,
  /** IoT Core's message payload limit, bytes. */
  maxPublishBytes: 128 * 1024,
} as const;

export interface DataPlaneOptions {
  broker: Pick<LocalBroker, 'publish'>;
  shadows: Pick<ShadowService, 'get' | 'update'>;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 18445 */
  port?: number;
}

export interface DataPlaneServer {
  /** The endpoint override, e.g. http://127.0.0.1:18443 */
  endpoint: string;
  port: number;
  /** `request-failed` ({method, path, error}) for unexpected faults. */
  events: EventEmitter;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'InvalidRequestException',
  404: 'ResourceNotFoundException',
  405: 'MethodNotAllowedException',
  409: 'ConflictException',
  413: 'RequestEntityTooLargeException',
  500: 'InternalFailureException',
};

class HttpFault extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpFault';
  }
}

export async function startDataPlane(
  options: DataPlaneOptions,
): Promise<DataPlaneServer> {
  const host = assertLoopback(options.host ?? dataPlaneDefaults.host);
  const port = assertPort(
    'IoT data-plane port',
    options.port ?? dataPlaneDefaults.port,
  );
  const events = new EventEmitter();
  const server = createServer((req, res) => {
    serve(options, req, res).catch((error: unknown) => {
      events.emit('request-failed', {
        method: req.method,
        path: req.url,
        error,
      });
      answerError(res, 500, 'Internal failure');
    });
  });
  const bound = await listen(server, host, port);
  return {
    endpoint: `http://${urlHost(host)}:${bound}`,
    port: bound,
    events,
    close: () => closeServer(server),
  };
}

async function serve(
  options: DataPlaneOptions,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const url = new URL(req.url ?? '/', 'http://local');
  const body = await readBody(req);
  try {
    const result = await route(options, req.method ?? 'GET', url, body);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(result));
  } catch (error) {
    if (error instanceof HttpFault) {
      return answerError(res, error.status, error.message);
    }
    if (error instanceof ShadowRequestError) {
      return answerError(res, error.code, error.message);
    }
    throw error;
  }
}

async function route(
  options: DataPlaneOptions,
  method: string,
  url: URL,
  body: Buffer,
): Promise<unknown> {
  const topic = /^\/topics\/(.+)$/.exec(url.pathname);
  if (topic && method === 'POST') {
    return publish(options, decodeURIComponent(topic[1] ?? ''), url, body);
  }
  const shadow = /^\/things\/([^/]+)\/shadow$/.exec(url.pathname);
  if (!shadow) throw new HttpFault(404, `No route for ${url.pathname}`);

  const thing = decodeURIComponent(shadow[1] ?? '');
  const name = url.searchParams.get('name');
  if (!name) {
    throw new HttpFault(400, 'Only named shadows are served locally');
  }
  if (method === 'GET') return options.shadows.get(thing, name);
  if (method === 'POST') {
    return options.shadows.update(thing, name, body.toString('utf8'));
  }
  throw new HttpFault(405, `${method} is not allowed on a shadow`);
}

async function publish(
  options: DataPlaneOptions,
  topic: string,
  url: URL,
  body: Buffer,
) {
  const qos = Number(url.searchParams.get('qos') ?? '0');
  if (qos !== 0 && qos !== 1) {
    throw new HttpFault(400, `qos must be 0 or 1, got ${qos}`);
  }
  if (body.length > dataPlaneDefaults.maxPublishBytes) {
    throw new HttpFault(
      413,
      `payload is ${body.length} bytes; the limit is ${dataPlaneDefaults.maxPublishBytes}`,
    );
  }
  if (url.searchParams.get('retain') === 'true') {
    throw new HttpFault(400, 'retained messages are not served locally');
  }
  await options.broker.publish(topic, body, qos);
  return {};
}

function answerError(res: ServerResponse, status: number, message: string) {
  if (res.headersSent) return res.end();
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-errortype': ERROR_TYPES[status] ?? 'InternalFailureException',
  });
  res.end(JSON.stringify({ message }));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

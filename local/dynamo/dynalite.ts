import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { LocalDynamoError } from './errors.js';

export interface DynaliteOptions {
  /**
   * LevelDB folder. Data survives a restart on the same folder.
   * @default undefined (in memory, lost on close)
   */
  dataDir?: string;
  /** TCP port on 127.0.0.1. @default 0 (an ephemeral port) */
  port?: number;
}

export interface RunningDynalite {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint` option. */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Table state changes take no time here: the handlers and tests should not
 * wait the 500 ms per change that dynalite simulates by default.
 */
const defaults = {
  createTableMs: 0,
  deleteTableMs: 0,
  updateTableMs: 0,
} as const;

/** Starts dynalite on loopback only, persisting under `dataDir` if given. */
export async function startDynalite(
  options: DynaliteOptions = {},
): Promise<RunningDynalite> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const server: Server = dynalite({ ...defaults, path: options.dataDir });

  await listen(server, options.port ?? 0);
  const { port } = server.address() as AddressInfo;

  const requests = countRequests(server);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => closeServer(server, requests),
  };
}

/** How long close waits for requests in flight to finish, ms. */
const DRAIN_LIMIT_MS = 5_000;
/** Level work can trail its response by a tick or two, ms. */
const DRAIN_GRACE_MS = 50;

/**
 * dynalite closes its database as soon as the HTTP server has no sockets,
 * and a Level operation still running then rejects where nobody listens:
 * an uncaught "Database is closed". So close waits for the requests in
 * flight first.
 */
function countRequests(server: Server) {
  const state = { active: 0 };
  server.on('request', (_request, response) => {
    state.active++;
    response.once('close', () => {
      state.active--;
    });
  });
  return state;
}

async function drain(requests: { active: number }) {
  const deadline = Date.now() + DRAIN_LIMIT_MS;
  while (requests.active > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, DRAIN_GRACE_MS));
}

function listen(server: Server, port: number) {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error) =>
      reject(
        new LocalDynamoError(
          'listen-failed',
          `dynalite could not listen on 127.0.0.1:${port}`,
          { cause: error },
        ),
      );
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
}

async function closeServer(server: Server, requests: { active: number }) {
  await drain(requests);

  // Idle keep-alive sockets of SDK clients would hold close() open.
  server.closeIdleConnections?.();
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
  });
}

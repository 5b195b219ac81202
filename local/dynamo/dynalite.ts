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

  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => closeServer(server),
  };
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

function closeServer(server: Server) {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // A keep-alive socket of an SDK client could otherwise carry one more
    // request in after the database has closed, which dynalite throws
    // outside any callback. Closing every socket at once leaves a late
    // caller a connection error it handles instead.
    server.closeAllConnections?.();
  });
}

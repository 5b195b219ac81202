import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { DYNALITE_WORKER_SOURCE } from './dynalite-worker.js';
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

/** How long close waits for requests in flight to finish, ms. */
const DRAIN_LIMIT_MS = 5_000;
/** Level work can trail its response by a tick or two, ms. */
const DRAIN_GRACE_MS = 50;
/** How long close waits for the thread to end on its own, ms. */
const EXIT_LIMIT_MS = 5_000;

/**
 * Starts dynalite on loopback only, persisting under `dataDir` if given,
 * in a thread of its own: its JSON, validation and LevelDB work then runs
 * beside the handlers instead of between them, on a second core when
 * there is one. Clients reach it over HTTP as before.
 */
export async function startDynalite(
  options: DynaliteOptions = {},
): Promise<RunningDynalite> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const port = options.port ?? 0;
  const worker = new Worker(DYNALITE_WORKER_SOURCE, {
    eval: true,
    // The source is CommonJS. Without this the thread inherits the parent's
    // flags, and `--input-type=module` would make it an ES module.
    execArgv: [],
    workerData: {
      dynalitePath: createRequire(import.meta.url).resolve('dynalite'),
      port,
      options: { ...defaults, path: options.dataDir },
    },
  });

  const listening = await nextMessage(worker).catch(async (error: Error) => {
    await worker.terminate();
    throw error;
  });
  if (listening.type !== 'listening') {
    await worker.terminate();
    throw new LocalDynamoError(
      'listen-failed',
      `dynalite could not listen on 127.0.0.1:${port}: ${listening.message}`,
    );
  }
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${listening.port}`,
    close: () => {
      closing ??= closeWorker(worker);
      return closing;
    },
  };
}

type FromWorker =
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'closed'; message?: string };

function nextMessage(worker: Worker) {
  return new Promise<FromWorker>((resolve, reject) => {
    const onExit = (code: number) =>
      reject(
        new LocalDynamoError(
          'thread-exited',
          `dynalite's thread ended with code ${code}`,
        ),
      );
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (message: FromWorker) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      resolve(message);
    });
  });
}

async function closeWorker(worker: Worker) {
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => resolve()),
  );
  const closed = nextMessage(worker);
  worker.postMessage({
    type: 'close',
    drainLimitMs: DRAIN_LIMIT_MS,
    graceMs: DRAIN_GRACE_MS,
  });
  const answer = await closed;

  // The database closes after the server; the thread ends when it has.
  const timer = setTimeout(() => void worker.terminate(), EXIT_LIMIT_MS);
  await exited;
  clearTimeout(timer);
  if (answer.type === 'closed' && answer.message) {
    throw new LocalDynamoError('close-failed', answer.message);
  }
}

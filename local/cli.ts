import { createLogger } from '../agent/logger.js';
import {
  type LocalConfig,
  localUsage,
  parseLocalCommand,
  portOptionOf,
} from './config.js';
import { ListenError, LocalStackError } from './errors.js';
import { type LocalStack, startLocalStack } from './stack.js';

/** Exit codes: 0 stopped cleanly, 1 failed to start or stop, 2 bad usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * `upkeep local`: starts the stack and runs until SIGINT or SIGTERM, then
 * stops every part so that dynalite and the queue journals are flushed. A
 * second signal while stopping exits at once.
 */
export async function runLocalCommand(argv: string[]): Promise<number> {
  const parsed = parseOrReport(argv);
  if (typeof parsed === 'number') return parsed;
  const logger = createLogger({ service: 'upkeep-local' });
  // Listening before the start: a Ctrl-C while starting stops cleanly too.
  const stopSignal = nextStopSignal();

  let stack: LocalStack;
  try {
    stack = await startLocalStack({ ...parsed, logger });
  } catch (error) {
    stopSignal.dispose();
    writeError(`upkeep local: could not start: ${describe(error)}`);
    for (const hint of portHints(error, parsed)) writeError(hint);
    return EXIT.failed;
  }

  const signal = await stopSignal.received;
  logger.info('stopping', { signal });
  const forceExit = () => process.exit(130);
  for (const s of STOP_SIGNALS) process.once(s, forceExit);

  try {
    await stack.stop();
    // The last line of a clean stop: under `npm start` the exit status is
    // npm's 130 for the Ctrl-C, not this command's 0.
    logger.info('local stack stopped', { signal });
    return EXIT.ok;
  } catch (error) {
    writeError(`upkeep local: stopped with errors: ${describe(error)}`);
    return EXIT.failed;
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, forceExit);
  }
}

function parseOrReport(argv: string[]) {
  try {
    const parsed = parseLocalCommand(argv, process.env, process.cwd());
    if (parsed.kind === 'run') return parsed.config;

    process.stdout.write(`${localUsage()}\n`);
    return EXIT.ok;
  } catch (error) {
    writeError(`upkeep local: ${describe(error)}`);
    writeError('Run `upkeep local --help` for the options.');
    return EXIT.usage;
  }
}

function nextStopSignal() {
  const dispose = () => {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  };
  let onSignal: (signal: string) => void = () => {};
  const received = new Promise<string>((resolve) => {
    onSignal = (signal) => {
      dispose();
      resolve(signal);
    };
  });
  for (const s of STOP_SIGNALS) process.once(s, onSignal);
  return { received, dispose };
}

/** For each port that could not be bound, the option that moves it. */
function portHints(error: unknown, config: LocalConfig): string[] {
  const errors = error instanceof AggregateError ? error.errors : [error];
  return errors.flatMap((e) => {
    const option = e instanceof ListenError && portOptionOf(config, e.port);
    return option ? [`Choose another port for it with ${option}.`] : [];
  });
}

function describe(error: unknown): string {
  if (error instanceof LocalStackError) return error.message;
  if (error instanceof AggregateError) {
    return error.errors.map(describe).join('; ');
  }
  if (error instanceof Error) {
    const cause =
      error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

function writeError(line: string) {
  process.stderr.write(`${line}\n`);
}

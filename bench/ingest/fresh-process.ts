import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BenchError } from '../lib/errors.js';
import type { HandlerCpuFigures } from './handler-cpu.js';
import type { FromPart, PartFigures, PartRequest } from './part-protocol.js';
import type { ThroughputFigures } from './throughput.js';

export interface PartOutcome<F> {
  figures: F;
  /** A crash after the figures were taken (while stopping), with why. */
  warnings: string[];
}

export function throughputInFreshProcess(
  options: Extract<PartRequest, { part: 'throughput' }>['options'],
) {
  return inFreshProcess<ThroughputFigures>({ part: 'throughput', options });
}

export function handlerCpuInFreshProcess(
  options: Extract<PartRequest, { part: 'cpu' }>['options'],
) {
  return inFreshProcess<HandlerCpuFigures>({ part: 'cpu', options });
}

/**
 * Runs one measurement in a new process (part-process.ts) and resolves
 * with its figures once the process has ended. A crash before the figures
 * fails the measurement; a crash after them becomes a warning.
 */
function inFreshProcess<F extends PartFigures>(
  request: PartRequest,
): Promise<PartOutcome<F>> {
  const entry = fileURLToPath(new URL('./part-process.ts', import.meta.url));
  // execArgv carries the TypeScript loader the benchmark runs under.
  const child = fork(entry, [], {
    execArgv: process.execArgv,
    serialization: 'advanced',
  });
  let figures: F | undefined;
  const warnings: string[] = [];
  let crash: string | undefined;

  child.on('message', (message: FromPart) => {
    if (message.type === 'figures') figures = message.figures as F;
    if (message.type !== 'crashed') return;
    if (figures) warnings.push(`crashed after measuring: ${message.message}`);
    else crash = message.message;
  });
  child.send(request);

  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => {
      if (figures) return resolve({ figures, warnings });
      const why = crash ?? `exited with ${signal ?? code} before measuring`;
      reject(new BenchError('measured-code-failed', why));
    });
  });
}

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { AgentBenchError } from './errors.js';

export const childDefaults = {
  /** After SIGTERM, SIGKILL follows when the child is still there, ms. */
  killAfterMs: 5_000,
  /** Lines of stderr kept for the error message of a failed run. */
  keptLines: 40,
};

/** A measured process, with its output by line. */
export interface Child {
  pid: number;
  process: ChildProcess;
  /** The last lines written to stderr (the agent's JSON log). */
  stderrLines: string[];
  /** Calls `listener` with each stdout line. */
  onStdoutLine(listener: (line: string) => void): void;
  /** Resolves with the exit code (or signal name) once the child ends. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after killAfterMs; resolves once it ended. */
  stop(): Promise<number | string>;
}

export function startChild(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Child {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) {
    throw new AgentBenchError(
      'child-failed',
      `could not start ${command} ${args.join(' ')}`,
    );
  }

  const stderrLines: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrLines.push(line);
    if (stderrLines.length > childDefaults.keptLines) stderrLines.shift();
  });
  const stdout = createInterface({ input: child.stdout });
  const exited = once(child, 'exit').then(
    ([code, signal]) => (code ?? signal) as number | string,
  );

  return {
    pid: child.pid,
    process: child,
    stderrLines,
    onStdoutLine: (listener) => stdout.on('line', listener),
    exited,
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<number | string>,
) {
  if (child.exitCode !== null || child.signalCode !== null) return exited;

  child.kill('SIGTERM');
  const timer = setTimeout(
    () => child.kill('SIGKILL'),
    childDefaults.killAfterMs,
  );
  const result = await exited;
  clearTimeout(timer);
  return result;
}

/**
 * Rejects when the child exits, naming what it exited before and its last
 * log lines; never resolves. Race it against what the child should do.
 */
export function exitedEarly(child: Child, before: string): Promise<never> {
  return child.exited.then((code) => {
    const log = child.stderrLines.join('\n');
    throw new AgentBenchError(
      'child-failed',
      `the child exited (${code}) before ${before}:\n${log}`,
    );
  });
}

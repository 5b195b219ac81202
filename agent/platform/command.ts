import { type ChildProcess, spawn } from 'node:child_process';

export interface CommandResult {
  command: string;
  args: readonly string[];
  /** Exit code, or null when the process was killed or failed to start. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the command could not be started (for example ENOENT). */
  spawnError?: string;
}

export interface CommandOptions {
  /** Hard limit before the process is killed, ms. @default 120_000 */
  timeoutMs?: number;
  /** Output kept per stream, bytes; the rest is dropped. @default 4 MiB */
  maxOutputBytes?: number;
  env?: NodeJS.ProcessEnv;
}

export type CommandRunner = (
  command: string,
  args: readonly string[],
  options?: CommandOptions,
) => Promise<CommandResult>;

const defaults = { timeoutMs: 120_000, maxOutputBytes: 4 * 1024 * 1024 };

/** Process groups exist on Unix; Windows ends the child only. */
const GROUP_KILL = process.platform !== 'win32';

function killTree(child: ChildProcess) {
  try {
    if (GROUP_KILL && child.pid) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // The group is already gone: nothing left to end.
  }
}

/**
 * Runs a command without a shell. It never rejects: a missing binary, a
 * non-zero exit or a timeout all come back as data, so that a probe can turn
 * them into a finding instead of crashing the agent.
 */
export const runCommand: CommandRunner = (command, args, options = {}) => {
  const { timeoutMs, maxOutputBytes } = { ...defaults, ...options };

  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let spawnError: string | undefined;

    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      // Its own process group, so that a timeout also ends the grandchildren
      // that would otherwise hold the output pipes open past the limit.
      detached: GROUP_KILL,
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child);
    }, timeoutMs);

    child.stdout.on('data', (chunk: Buffer) => {
      if (outBytes < maxOutputBytes) out.push(chunk);
      outBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errBytes < maxOutputBytes) err.push(chunk);
      errBytes += chunk.length;
    });
    child.on('error', (error) => {
      spawnError = error.message;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        command,
        args,
        // A failed spawn closes with a negative errno; report no exit code.
        exitCode: spawnError ? null : code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        ...(spawnError ? { spawnError } : {}),
      });
    });
  });
};

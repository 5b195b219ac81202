import { readFileSync } from 'node:fs';
import type { CommandResult, CommandRunner } from '../platform/command.js';

/**
 * The OS boundary for probe tests on a machine that is not the probe's OS:
 * answers each command from recorded output, keyed by the command and its
 * first argument (`pmset -g` is keyed `pmset -g batt`, the first two). A
 * command without an answer fails as a missing binary does.
 */
export function recordedOs(answers: Record<string, Partial<CommandResult>>) {
  const calls: string[] = [];
  const run: CommandRunner = async (command, args) => {
    const key = [command, ...args.slice(0, 2)].join(' ');
    const short = [command, args[0] ?? ''].join(' ');
    calls.push(key);
    const answer = answers[key] ?? answers[short] ?? answers[command];
    const base = { command, args, stdout: '', stderr: '', timedOut: false };
    return answer
      ? { ...base, exitCode: 0, ...answer }
      : { ...base, exitCode: null, spawnError: `spawn ${command} ENOENT` };
  };
  return { run, calls };
}

/** A fixture file beside the test that reads it. */
export function fixture(testUrl: string, name: string) {
  return readFileSync(new URL(`fixtures/${name}`, testUrl), 'utf8');
}

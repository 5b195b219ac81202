import type { CommandResult, CommandRunner } from '../platform/command.js';
import { decodePowershellArgs } from '../platform/windows/powershell.js';

/**
 * The OS boundary for remedy tests: PowerShell, systemctl and freshclam
 * cannot run (or must not run) here. It records every call (PowerShell
 * scripts decoded from -EncodedCommand) and answers from a queue.
 */
export interface RecordedCall {
  command: string;
  args: readonly string[];
  /** The script, for powershell.exe calls. */
  script?: string;
  timeoutMs?: number;
}

export type Answer = Partial<Omit<CommandResult, 'command' | 'args'>>;

export function fakeRunner(answers: Answer[] = []) {
  const calls: RecordedCall[] = [];
  const queue = [...answers];
  const run: CommandRunner = async (command, args, options) => {
    const script =
      command === 'powershell.exe' ? decodePowershellArgs(args) : undefined;
    calls.push({ command, args, script, timeoutMs: options?.timeoutMs });
    const answer = queue.shift() ?? {};
    return {
      command,
      args,
      exitCode: 0,
      stdout: '',
      stderr: '',
      timedOut: false,
      ...answer,
    };
  };
  return { run, calls };
}

/** The UTF-8 switch powershellArgs puts before every script. */
export const UTF8_LINE = '[Console]::OutputEncoding = [Text.Encoding]::UTF8';

/** The script as the agent sends it: the UTF-8 line, then the lines. */
export function sentScript(lines: readonly string[]): string {
  return [UTF8_LINE, ...lines].join('\n');
}

import type {
  CommandResult,
  CommandRunner,
} from '../../agent/platform/command.js';
import { decodePowershellArgs } from '../../agent/platform/windows/powershell.js';
import { readCase, withoutNotes } from '../../agent/test-support/cases.js';

/**
 * The one OS boundary the end-to-end tests fake: PowerShell cannot run on
 * this machine. Each script the agent sends is answered by the first rule
 * whose marker it contains, from a recorded case (fixtures/cases) or from
 * the JSON line the agent's script prints; anything else fails as an
 * unknown command would. Every script is kept, so a test can tell what ran.
 */
export type ScriptRule = [marker: string, answer: () => string];

export function scriptRunner(rules: ScriptRule[]) {
  const scripts: string[] = [];
  const run: CommandRunner = async (command, args) => {
    const script =
      command === 'powershell.exe' ? decodePowershellArgs(args) : '';
    scripts.push(script || `${command} ${args.join(' ')}`);
    const rule = rules.find(([marker]) => script.includes(marker));
    const result: CommandResult = {
      command,
      args,
      exitCode: rule ? 0 : 1,
      stdout: rule ? rule[1]() : '',
      stderr: rule ? '' : `no recording for ${command}`,
      timedOut: false,
    };
    return result;
  };
  return { run, scripts };
}

/** The output under one `C:\...>` prompt of a recorded console session. */
export function recordedOutput(caseName: string, commandPart: string) {
  let command = '';
  const outputs = new Map<string, string>();
  for (const line of withoutNotes(readCase(caseName)).split(/\r?\n/)) {
    const prompt = /^(?:PS )?[A-Z]:\\[^>]*>\s*(.*)$/.exec(line);
    if (prompt) {
      command = prompt[1] ?? '';
      outputs.set(command, '');
    } else if (command) {
      outputs.set(command, `${outputs.get(command)}${line}\n`);
    }
  }
  for (const [name, output] of outputs) {
    if (name.includes(commandPart)) return output;
  }
  throw new Error(`${caseName} records no ${commandPart}`);
}

/**
 * The recorded status after a signature update: the same machine, its
 * signature ages 0 and their update time now (a variation of the record).
 */
export function refreshedMpStatus(recorded: string, now: Date) {
  const wmi = `${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}.000000+000`;
  return recorded
    .replace(/^(\w*SignatureAge)=\d+/gm, '$1=0')
    .replace(/^(\w*SignatureLastUpdated)=\d{14}\.\d{6}\+\d{3}/gm, `$1=${wmi}`);
}

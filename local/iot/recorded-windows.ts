import { readFileSync } from 'node:fs';
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

/**
 * A Windows machine from the recorded case av-mpstatus-stale-610d: Defender
 * 610 days behind until Update-MpSignature runs, current after it. Sophos's
 * updater is not installed there, as its script finds.
 */
export function defenderMachine() {
  const stale = recordedOutput(
    'av-mpstatus-stale-610d.txt',
    'MSFT_MpComputerStatus',
  );
  const securityCenter = recordedOutput(
    'av-mpstatus-stale-610d.txt',
    'root\\SecurityCenter2',
  );
  let updated = false;
  return scriptRunner([
    [
      'Update-MpSignature',
      () => {
        updated = true;
        return '{"ok":true,"signatureVersion":"1.445.123.0","signatureAgeDays":0}';
      },
    ],
    [
      'Get-MpComputerStatus',
      () => (updated ? refreshedMpStatus(stale, new Date()) : stale),
    ],
    ['SecurityCenter2', () => securityCenter],
    // The vendor signature read finds no third-party product's files.
    ['Add-Found', () => '[]'],
    ['SophosUpdate.exe', () => '{"ok":false,"message":"updater not found"}'],
  ]);
}

/** The title Windows Update gives the update that failed with 0x80073712. */
export const FAILED_UPDATE =
  '2025-03 Cumulative Update for Windows 11 Version 23H2 for x64-based ' +
  'Systems (KB5053602)';

/**
 * A Windows machine whose update history holds the 0x80073712 failure of
 * the recorded case wu-0x80073712-cbs (its capture 2), in the shape of the
 * patch fixture wua-three-missing.json with nothing else pending. DISM and
 * SFC answer as their scripts print on success; the repair from a mounted
 * image finds none. The failure stays in the history, so every re-check
 * still shows it.
 */
export function corruptStoreMachine() {
  const wua = JSON.parse(
    readFileSync(
      new URL(
        '../../agent/checks/patches/fixtures/wua-three-missing.json',
        import.meta.url,
      ),
      'utf8',
    ),
  );
  const history = [
    {
      Title: FAILED_UPDATE,
      Date: '2025-03-12T03:14:07.0000000Z',
      Operation: 1,
      ResultCode: 4,
      HResult: 0x80073712 - 2 ** 32,
    },
  ];
  const state = {
    ...wua,
    Updates: [],
    History: history,
    RebootRequired: false,
  };
  // A retry of the update fails the same way while the store is corrupt
  // (the install script's result, agent/remedies/wua-install.ts).
  const retry = {
    ok: true,
    Results: { KB: '5053602', ResultCode: 4, HResult: 0x80073712 - 2 ** 32 },
    StillMissing: '5053602',
    History: {
      KB: '5053602',
      Date: '2025-03-12T03:14:07.0000000Z',
      ResultCode: 4,
      HResult: 0x80073712 - 2 ** 32,
    },
    HotFix: [],
    RebootRequired: false,
  };
  return scriptRunner([
    ['Microsoft.Update.UpdateColl', () => JSON.stringify(retry)],
    ['Microsoft.Update.Session', () => JSON.stringify(state)],
    [
      '/LimitAccess',
      () =>
        '{"ok":false,"message":"no mounted install image matches build 22631"}',
    ],
    [
      'Dism.exe',
      () =>
        '{"ok":true,"exitCode":0,"rebootRequired":false,' +
        '"tail":"The restore operation completed successfully."}',
    ],
    [
      'sfc.exe',
      () =>
        '{"ok":true,"exitCode":0,"tail":"Windows Resource Protection did ' +
        'not find any integrity violations."}',
    ],
  ]);
}

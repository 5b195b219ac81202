import { isAbsolute, join, relative } from 'node:path';

/**
 * The agent's state folder for an enrolled thing: `<state>/agents/<thing>`
 * under the stack's state folder, as the agent's own default
 * (`.state/agents/<thing>`) sits under the stack's default `.state`.
 */
export function enrolledStateDir(stateRoot: string, thingName: string) {
  return join(stateRoot, 'agents', thingName);
}

export interface HintContext {
  /** Paths inside it are shown relative to it, as typed from there. */
  cwd: string;
  /** Picks the quoting. @default process.platform */
  platform?: NodeJS.Platform;
}

/**
 * The command enrolment prints last: the agent on the bundle, with a state
 * folder of its own thing, so it never shares the local stack's agent
 * folder (whose outbox holds another thing's messages). It can be pasted
 * as it is: `npx`, and paths quoted when the shell would split them.
 */
export function agentCommandHint(
  bundleDir: string,
  stateDir: string,
  context: HintContext,
) {
  const arg = (path: string) => shellWord(shown(path, context.cwd), context);
  return (
    `next: npx upkeep agent --bundle ${arg(bundleDir)} ` +
    `--state ${arg(stateDir)}`
  );
}

function shown(path: string, cwd: string) {
  const inside = relative(cwd, path);
  const outside =
    inside === '' || inside.startsWith('..') || isAbsolute(inside);
  return outside ? path : inside;
}

/** Characters sh neither splits nor expands. */
const PLAIN_SH = /^[A-Za-z0-9_./:@%+=,-]+$/;

/**
 * Characters neither PowerShell nor cmd splits or expands. Not `%` (cmd
 * expands `%NAME%`), `,` (PowerShell makes an array of the word) nor `@`
 * (PowerShell splats `@name` and reads `@(` as an array).
 */
const PLAIN_WINDOWS = /^[A-Za-z0-9_./:\\+=-]+$/;

/** PowerShell expands `$name` and reads a backtick as an escape in "...". */
const POWERSHELL_EXPANDS = /[$`]/;

function shellWord(text: string, { platform }: HintContext) {
  if ((platform ?? process.platform) === 'win32') return windowsWord(text);
  if (PLAIN_SH.test(text)) return text;
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * A word for PowerShell, the Windows default, and for cmd where they agree.
 * Double quotes keep spaces, `,` and `@` for both, and a Windows path
 * cannot hold one. A `$` or a backtick needs PowerShell's single quotes,
 * in which only a doubled `''` is special; cmd would keep those quotes.
 * Known limitation: cmd expands `%NAME%` inside double quotes too when
 * NAME is set; such a path is shown quoted for PowerShell only.
 */
function windowsWord(text: string) {
  if (PLAIN_WINDOWS.test(text)) return text;
  if (POWERSHELL_EXPANDS.test(text)) {
    return `'${text.replaceAll("'", "''")}'`;
  }
  return `"${text}"`;
}

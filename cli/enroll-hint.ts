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

/** Characters no shell (sh, PowerShell, cmd) splits or expands. */
const PLAIN = /^[A-Za-z0-9_./:@%+=,-]+$/;

function shellWord(text: string, { platform }: HintContext) {
  const windows = (platform ?? process.platform) === 'win32';
  if (PLAIN.test(windows ? text.replaceAll('\\', '/') : text)) return text;
  // cmd and PowerShell take double quotes; Windows paths cannot hold one.
  if (windows) return `"${text}"`;
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

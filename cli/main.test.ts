import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const entry =
  "import { main } from './cli/main.ts';" +
  'process.exitCode = await main(process.argv.slice(1));';

/** `upkeep ARGS` as a real process, as `npx upkeep` runs it. */
async function upkeep(args: string[]) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', entry, '--', ...args],
    { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 },
  );
  return stdout;
}

/** The commands `upkeep --help` lists under `Commands:`. */
function commandsOf(usage: string) {
  const listed = usage.split('Commands:\n')[1]?.split('\n\n')[0] ?? '';
  return listed.split('\n').map((line) => line.trim().split(' ')[0] ?? '');
}

const longLines = (text: string) =>
  text.split('\n').filter((line) => line.length > 80);

describe('upkeep --help', () => {
  it('keeps every line of every command help within 80 columns', async () => {
    const usage = await upkeep(['--help']);
    const commands = commandsOf(usage);

    const helps = await Promise.all(
      commands.map(async (name) => [name, await upkeep([name, '--help'])]),
    );

    // Oracle: a help that did not print would pass the width check, so
    // each one must start with its own usage line.
    expect(commands).toEqual(
      expect.arrayContaining(['local', 'enroll', 'agent', 'diagnose']),
    );
    for (const [name, help] of helps) {
      expect(help, name).toMatch(new RegExp(`^Usage: upkeep ${name}`));
    }
    expect(longLines(usage)).toEqual([]);
    expect(
      helps.flatMap(([name, help]) =>
        longLines(help ?? '').map((line) => `${name}: ${line}`),
      ),
    ).toEqual([]);
  });
});

import { execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync,
  mkdtempSync,
  openSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { readCase } from '../test-support/cases.js';
import { type DiagnoseIo, runDiagnoseCommand } from './cli.js';
import { MAX_INPUT_BYTES, readInputFile } from './input.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const CASE = 'smart-ata-udma-crc-cable.json';
const casePath = fileURLToPath(
  new URL(`../../fixtures/cases/${CASE}`, import.meta.url),
);
const dir = mkdtempSync(join(tmpdir(), 'upkeep-diagnose-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `upkeep diagnose ARGS` through the dispatcher, in a real process. */
const entry =
  "const { main } = await import('./cli/main.ts');" +
  'process.exitCode = await main(process.argv.slice(1));';
const nodeArgs = ['--import', 'tsx', '--input-type=module', '-e', entry];

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the command with `stdin` as its standard input: text written to a
 * pipe Node makes (a socket pair on Linux), or a descriptor to inherit.
 */
async function diagnoseProcess(
  args: string[],
  stdin: { text: string } | number,
): Promise<Outcome> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--', 'diagnose', ...args],
    {
      cwd: repoRoot,
      stdio: [typeof stdin === 'number' ? stdin : 'pipe', 'pipe', 'pipe'],
    },
  );
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const outcome: Outcome = { code: null, stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk) => (outcome.stdout += chunk));
  child.stderr?.on('data', (chunk) => (outcome.stderr += chunk));
  if (typeof stdin !== 'number') child.stdin?.end(stdin.text);
  [outcome.code] = await once(child, 'exit');
  return outcome;
}

/** Runs `sh -c SCRIPT` with the node and entry as $1 and $2. */
function shell(script: string, ...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      'sh',
      ['-c', script, 'sh', process.execPath, entry, ...args],
      { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

/** The judgement of the recorded case read from its file. */
let expected: string | undefined;
async function judgedFromFile() {
  if (expected !== undefined) return expected;
  const fromFile = await diagnoseProcess([casePath], { text: '' });
  expect(fromFile.code).toBe(0);
  expected = fromFile.stdout;
  return expected;
}

/** Runs the command in this process with its real reader. */
async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: DiagnoseIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readFile: readInputFile,
    now: () => new Date('2024-06-05T00:00:00Z'),
  };
  const code = await runDiagnoseCommand(argv, io);
  return { code, stdout, stderr };
}

const refusal = (path: string, type: string) =>
  `upkeep diagnose: ${path} is ${type}, not a file or a pipe; give the ` +
  'recorded output, or - for standard input\n';

describe('upkeep diagnose inputs (real processes)', () => {
  it.each([
    ['-', '-'],
    ['/dev/stdin', '/dev/stdin'],
  ])('judges a case written to its standard input, named %s', async (arg) => {
    const judged = await judgedFromFile();

    const piped = await diagnoseProcess([arg], { text: readCase(CASE) });

    expect(piped.stderr).toBe('');
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(judged);
    expect(JSON.parse(piped.stdout)).toMatchObject({
      kind: 'smart',
      findings: [{ code: 'smart.crc-errors' }],
    });
  });

  it('judges a shell pipe into /dev/stdin as it judges the file', async () => {
    const judged = await judgedFromFile();

    // A shell pipe is a pipe(2), a FIFO to fstat, unlike Node's socket pair.
    const piped = await shell(
      'cat "$3" | "$1" --import tsx --input-type=module -e "$2" -- ' +
        'diagnose /dev/stdin',
      casePath,
    );

    expect(piped.stderr).toBe('');
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(judged);
  });

  it('reads a named pipe made by mkfifo once its writer writes', async () => {
    const judged = await judgedFromFile();
    const fifo = join(dir, 'smartctl.fifo');
    const made = spawnSync('mkfifo', [fifo]);
    expect(made.status, String(made.stderr)).toBe(0);

    const reader = diagnoseProcess([fifo], { text: '' });
    // Opening a FIFO to write waits for its reader, the command.
    await writeFile(fifo, readCase(CASE));
    const outcome = await reader;

    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toBe(judged);
  });

  it('refuses a character device that is not its standard input', async () => {
    const outcome = await diagnoseProcess(['/dev/null'], { text: 'x' });

    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toBe(
      refusal('/dev/null', 'a character device other than standard input'),
    );
  });

  // Oracle: /dev/zero never ends; only the limit stops the read, and the
  // device is read at all only because it is the standard input.
  it.each([
    ['-', 'standard input'],
    ['/dev/stdin', '/dev/stdin'],
    ['/dev/zero', '/dev/zero'],
  ])(
    'stops reading %s past the limit when it is /dev/zero',
    async (arg, name) => {
      const zero = openSync('/dev/zero', 'r');
      onTestFinished(() => closeSync(zero));

      const outcome = await diagnoseProcess([arg], zero);

      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toBe(
        `upkeep diagnose: ${name} holds more than 16 MiB, more than a ` +
          'recorded output; give the part to judge\n',
      );
    },
  );
});

describe('readInputFile', () => {
  it('refuses a socket with exit 2 and names it', async () => {
    const path = join(dir, 'agent.sock');
    const server = createServer().listen(path);
    await once(server, 'listening');
    onTestFinished(() => new Promise<void>((r) => server.close(() => r())));

    const { code, stdout, stderr } = await run([path]);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(refusal(path, 'a socket'));
  });

  it('refuses a directory with exit 2 and names it', async () => {
    const { code, stderr } = await run([dir]);

    expect(code).toBe(2);
    expect(stderr).toBe(refusal(dir, 'a directory'));
  });

  it('reads a file of exactly the limit and refuses one byte more', async () => {
    const atLimit = join(dir, 'at-limit.bin');
    const past = join(dir, 'past-limit.bin');
    // Sparse files: the size without the disk space.
    writeFileSync(atLimit, '');
    truncateSync(atLimit, MAX_INPUT_BYTES);
    writeFileSync(past, '');
    truncateSync(past, MAX_INPUT_BYTES + 1);

    const whole = await readInputFile(atLimit);
    const refused = await run([past]);

    expect(whole.byteLength).toBe(MAX_INPUT_BYTES);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `upkeep diagnose: ${past} holds more than 16 MiB, more than a ` +
        'recorded output; give the part to judge\n',
    );
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempStateDir } from './test-support.js';
import { readIssuer } from './tokens/local-issuer.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const entry =
  "import { runLocalCommand } from './local/cli.ts';" +
  'process.exitCode = await runLocalCommand(process.argv.slice(1));';

/** `upkeep local` as a real process, killed if the test leaves it running. */
function runLocal(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', entry, '--', ...args],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk) => (output.stdout += chunk));
  child.stderr?.on('data', (chunk) => (output.stderr += chunk));
  return { child, output };
}

async function exitCode(child: ChildProcess) {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = await once(child, 'exit');
  return code as number;
}

async function waitForOutput(read: () => string, pattern: RegExp) {
  const deadline = Date.now() + 20_000;
  while (!pattern.test(read())) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} in output`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return pattern.exec(read());
}

/** Listens on a free port of 29000-29999 until the test ends. */
async function occupyPort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 29_000 + Math.floor(Math.random() * 1000);
    const server = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (bound) {
      onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
      return port;
    }
  }
  throw new Error('no free port in 29000-29999');
}

const freePorts = [
  '--mqtt-port',
  '0',
  '--mqtts-port',
  '0',
  '--sqs-port',
  '0',
  '--dynamo-port',
  '0',
  '--iot-port',
  '0',
];

describe('upkeep local (the command)', () => {
  it('prints its options with --help and exits 0', async () => {
    const { child, output } = runLocal(['--help']);

    expect(await exitCode(child)).toBe(0);
    expect(output.stdout).toMatch(/^Usage: upkeep local \[options\]/);
    expect(output.stdout).toContain('UPKEEP_API_PORT, default 18080');
  });

  it('exits 2 and names the flag it does not know', async () => {
    const { child, output } = runLocal(['--mqtt-prt', '1']);

    expect(await exitCode(child)).toBe(2);
    expect(output.stderr).toContain("Unknown option '--mqtt-prt'");
  });

  it.each([
    [
      ['--sqs-port', '29321', '--api-port', '29321'],
      {},
      '--api-port and --sqs-port',
    ],
    [
      [],
      { UPKEEP_API_PORT: '29322', UPKEEP_SQS_PORT: '29322' },
      'UPKEEP_API_PORT and UPKEEP_SQS_PORT',
    ],
  ])(
    'exits 2 with the --help hint when %j %j share a port',
    async (args, env, names) => {
      const parent = tempStateDir();
      const stateDir = join(parent, 'state');

      const { child, output } = runLocal(['--state', stateDir, ...args], env);

      expect(await exitCode(child)).toBe(2);
      const port = (args[1] ?? Object.values(env)[0]) as string;
      expect(output.stderr).toBe(
        `upkeep local: ${names} both ask for port ${port}; give each its own\n` +
          'Run `upkeep local --help` for the options.\n',
      );
      expect(existsSync(stateDir)).toBe(false);
    },
  );

  it('exits 1 when its API port is taken, creating no state folder', async () => {
    const port = await occupyPort();
    const parent = tempStateDir();
    const stateDir = join(parent, 'state');

    const { child, output } = runLocal([
      ...['--state', stateDir, '--no-agent', ...freePorts],
      ...['--api-port', String(port)],
    ]);

    expect(await exitCode(child)).toBe(1);
    expect(output.stderr).toContain(`127.0.0.1:${port} is already in use`);
    expect(output.stderr).toContain(
      'Choose another port for it with --api-port (or UPKEEP_API_PORT).',
    );
    expect(readdirSync(parent)).toEqual([]);
  });

  it('serves until SIGINT, then stops cleanly', async () => {
    const stateDir = tempStateDir();
    const { child, output } = runLocal([
      ...['--state', stateDir, '--no-agent', ...freePorts],
      ...['--api-port', '0'],
    ]);
    const ready = await waitForOutput(
      () => output.stdout,
      /API +(http:\/\/127\.0\.0\.1:\d+)/,
    );

    const unsigned = await fetch(`${ready?.[1]}/devices`);
    expect(unsigned.status).toBe(401);

    const issuer = await readIssuer(stateDir);
    const token = await issuer.mint({ scope: 'msp' });
    const response = await fetch(`${ready?.[1]}/devices`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await response.json()).toEqual({ devices: [], nextCursor: null });
    child.kill('SIGINT');

    expect(await exitCode(child)).toBe(0);
    const logLines = output.stderr.trim().split('\n');
    expect(JSON.parse(logLines.at(-1) ?? '')).toMatchObject({
      level: 'INFO',
      message: 'local stack stopped',
      signal: 'SIGINT',
    });
    expect(existsSync(join(stateDir, 'upkeep-local.pid'))).toBe(false);
    expect(existsSync(join(stateDir, 'dynamo', 'CURRENT'))).toBe(true);
  });
});

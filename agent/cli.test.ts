import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceTopic, helloSchema, reportSchema } from '../core/index.js';
import { runAgentCommand } from './cli.js';
import { runCommand } from './platform/command.js';
import { startBroker, type TestBroker } from './test-support/broker.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const broker = await startBroker();
  const state = await fs.mkdtemp(path.join(os.tmpdir(), 'upkeep-cli-'));
  cleanups.push(() => broker.close());
  cleanups.push(() => fs.rm(state, { recursive: true, force: true }));
  return { broker, state };
}

function captureIo(signal?: AbortSignal, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (t: string) => out.push(t),
    stderr: (t: string) => err.push(t),
    signal,
    env,
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

/** The standalone entry in a real Node process, as a service would run it. */
function runMain(args: string[]) {
  return runCommand(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    timeoutMs: 60_000,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
}

const onTopic = (broker: TestBroker, topic: string) =>
  broker.published.filter((m) => m.topic === topic);

describe('upkeep agent (process)', () => {
  it('--once publishes one report, waits for the PUBACK and exits 0', async () => {
    const { broker, state } = await setup();

    const result = await runMain([
      '--broker',
      broker.url,
      '--thing',
      'cli-test-01',
      '--state',
      state,
      '--once',
    ]);

    expect(result.exitCode, result.stderr).toBe(0);
    const printed = reportSchema.parse(JSON.parse(result.stdout));
    const [report] = onTopic(broker, deviceTopic('cli-test-01', 'reports'));
    expect(JSON.parse(report?.payload ?? '')).toEqual(printed);
    expect(printed).toMatchObject({
      check: 'disk-space',
      trigger: 'on-demand',
    });
    const [hello] = onTopic(broker, deviceTopic('cli-test-01', 'hello'));
    expect(helloSchema.parse(JSON.parse(hello?.payload ?? ''))).toMatchObject({
      deviceId: 'cli-test-01',
    });
  });

  it('--once exits 1 when no broker acknowledges within --timeout', async () => {
    const { state } = await setup();
    // Accepts the TCP connection and never answers the CONNECT.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) =>
      silent.listen(0, '127.0.0.1', resolve),
    );
    cleanups.push(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => silent.close(resolve));
    });
    const { port } = silent.address() as net.AddressInfo;

    const result = await runMain([
      '--broker',
      `mqtt://127.0.0.1:${port}`,
      '--thing',
      'cli-test-02',
      '--state',
      state,
      '--once',
      '--timeout',
      '1',
    ]);

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/not acknowledged within 1 s/);
  });

  it('--once exits 1 at once with the reason when the broker refuses the connection', async () => {
    const { broker, state } = await setup();
    await broker.close();
    const started = Date.now();

    const result = await runMain([
      '--broker',
      broker.url,
      '--thing',
      'cli-test-03',
      '--state',
      state,
      '--once',
    ]);

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`cannot connect to ${broker.url}: .*ECONNREFUSED`),
    );
    expect(result.stderr).toMatch(/"code":"mqtt-connect-error"/);
    // Well before the 30 s --timeout.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('refuses with exit 2 a state folder bound to another thing', async () => {
    const { broker, state } = await setup();
    const once = (thing: string) =>
      runMain([
        '--broker',
        broker.url,
        '--thing',
        thing,
        '--state',
        state,
        '--once',
      ]);
    expect((await once('cli-test-04')).exitCode).toBe(0);
    const outbox = await fs.readFile(path.join(state, 'outbox', 'outbox.log'));

    const other = await once('cli-test-05');

    expect(other.exitCode).toBe(2);
    expect(other.stderr).toMatch(
      /state folder .* belongs to thing "cli-test-04", not "cli-test-05"/,
    );
    expect(await fs.readFile(path.join(state, 'outbox', 'outbox.log'))).toEqual(
      outbox,
    );
    expect(onTopic(broker, deviceTopic('cli-test-05', 'hello'))).toEqual([]);
  });
});

describe('runAgentCommand', () => {
  it('prints the help with exit 0', async () => {
    const { io, out } = captureIo();

    expect(await runAgentCommand(['--help'], io)).toBe(0);
    expect(out()).toMatch(/^Usage: upkeep agent \[options\]/);
    expect(out()).toMatch(/--once/);
    expect(out()).toMatch(/six checks .* on the cycle table/s);
    expect(out()).toMatch(/default \.state\/agents\/<thing>/);
    expect(out()).toMatch(/default mqtt:\/\/127\.0\.0\.1:18830/);
    expect(out()).toMatch(/env UPKEEP_MQTT_PORT moves its port/);
    expect(out()).not.toMatch(/14 days/);
  });

  it('rejects an unknown flag with exit 2 and the help', async () => {
    const { io, err } = captureIo();

    expect(await runAgentCommand(['--brokr', 'x'], io)).toBe(2);
    expect(err()).toMatch(/Unknown option '--brokr'/);
    expect(err()).toMatch(/Usage:/);
  });

  it('rejects a bad log level, thing name or timeout with exit 2', async () => {
    const { state } = await setup();
    const run = (args: string[]) =>
      runAgentCommand(['--state', state, ...args], captureIo().io);

    expect(await run(['--log-level', 'LOUD'])).toBe(2);
    expect(await run(['--thing', 'not valid'])).toBe(2);
    expect(await run(['--once', '--timeout', '-3'])).toBe(2);
  });

  it('connects to the port UPKEEP_MQTT_PORT names without --broker', async () => {
    const { broker, state } = await setup();
    const { io, out, err } = captureIo(undefined, {
      UPKEEP_MQTT_PORT: String(broker.port),
    });

    const code = await runAgentCommand(
      ['--thing', 'cli-test-06', '--state', state, '--once'],
      io,
    );

    expect(code, err()).toBe(0);
    const [report] = onTopic(broker, deviceTopic('cli-test-06', 'reports'));
    expect(JSON.parse(report?.payload ?? '')).toEqual(JSON.parse(out()));
  });

  it('takes --broker over UPKEEP_MQTT_PORT', async () => {
    const { broker, state } = await setup();
    const gone = await startBroker();
    await gone.close();
    const { io, err } = captureIo(undefined, {
      UPKEEP_MQTT_PORT: String(gone.port),
    });

    const code = await runAgentCommand(
      ['--broker', broker.url, '--thing', 'cli-test-07'].concat([
        '--state',
        state,
        '--once',
      ]),
      io,
    );

    expect(code, err()).toBe(0);
    expect(onTopic(broker, deviceTopic('cli-test-07', 'reports'))).toHaveLength(
      1,
    );
  });

  it('refuses a UPKEEP_MQTT_PORT that is not a port with exit 2', async () => {
    const { state } = await setup();
    const { io, err } = captureIo(undefined, { UPKEEP_MQTT_PORT: '18830x' });

    const code = await runAgentCommand(['--state', state, '--once'], io);

    expect(code).toBe(2);
    expect(err()).toBe(
      'upkeep agent: UPKEEP_MQTT_PORT must be a port from 1 to 65535, ' +
        'got "18830x"\n',
    );
  });

  it('rejects a TLS file it cannot read with exit 2', async () => {
    const { io, err } = captureIo();

    const code = await runAgentCommand(
      ['--broker', 'mqtts://127.0.0.1:1', '--ca', '/nonexistent/ca.pem'],
      io,
    );

    expect(code).toBe(2);
    expect(err()).toMatch(/--ca: cannot read \/nonexistent\/ca.pem/);
  });

  it('keeps running and reporting until asked to stop', async () => {
    const { broker, state } = await setup();
    const stop = new AbortController();
    const { io, err } = captureIo(stop.signal);

    const running = runAgentCommand(
      ['agent', '--broker', broker.url, '--thing', 'cli-test-03'].concat([
        '--state',
        state,
        '--interval',
        '0.2',
      ]),
      io,
    );
    await broker.waitForPublish(
      (m) => m.topic === deviceTopic('cli-test-03', 'reports'),
      2,
    );
    stop.abort();

    expect(await running).toBe(0);
    expect(err()).toMatch(/"message":"agent stopped"/);
    expect(err()).toMatch(/"thingName":"cli-test-03"/);
  });
});

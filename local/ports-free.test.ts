import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { localDefaults, type PortKey } from './config.js';
import { ListenError } from './errors.js';
import { assertPortsFree } from './ports-free.js';

/** Every port of the stack at 0: the OS picks, nothing is checked. */
const zeros = Object.fromEntries(
  Object.keys(localDefaults)
    .filter((key) => key.endsWith('Port'))
    .map((key) => [key, 0]),
) as Record<PortKey, number>;

async function takenPort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as { port: number }).port;
}

describe('assertPortsFree', () => {
  it('passes a free port and releases it for the real listener', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as { port: number };
    await new Promise<void>((r) => probe.close(() => r()));

    await assertPortsFree({ ...zeros, apiPort: port });

    // Oracle: the check closed what it bound, so the port binds again.
    const listener = createServer().listen(port, '127.0.0.1');
    await once(listener, 'listening');
    await new Promise<void>((r) => listener.close(() => r()));
  });

  it('throws the listener error of a taken port', async () => {
    const port = await takenPort();

    const failure = await assertPortsFree({ ...zeros, apiPort: port }).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(ListenError);
    expect(failure).toMatchObject({
      port,
      message: `listening on 127.0.0.1:${port} is already in use`,
    });
  });

  it('reports every taken port, each with its port number', async () => {
    const [api, sqs] = [await takenPort(), await takenPort()];

    const failure = await assertPortsFree({
      ...zeros,
      apiPort: api,
      sqsPort: sqs,
    }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AggregateError);
    expect(
      (failure as AggregateError).errors.map((e: ListenError) => e.port),
    ).toEqual([api, sqs]);
  });

  it('probes a port given twice once, so it does not find itself', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as { port: number };
    await new Promise<void>((r) => probe.close(() => r()));

    await expect(
      assertPortsFree({ ...zeros, apiPort: port, sqsPort: port }),
    ).resolves.toBeUndefined();
  });
});

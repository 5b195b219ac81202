import { createServer } from 'node:net';
import type { PortKey } from './config.js';
import { LocalConfigError } from './errors.js';
import { closeServer, listen } from './net/listen.js';

/**
 * Checks the stack's fixed ports before the state folder is created or
 * touched: each is bound on 127.0.0.1 and released at once, so that a taken
 * port fails the start with the same ListenError the real listener throws
 * (and the same hint), and a first start leaves no half-made folder behind.
 * Port 0 is skipped: the OS picks a free one.
 *
 * Known limitation: a port taken between this check and the real bind
 * still fails the start later, after the folder was set up; the window is
 * the few seconds a start takes, and the start reports it the same way.
 */
export async function assertPortsFree(ports: Record<PortKey, number>) {
  const fixed = Object.entries(ports).filter(([, port]) => port !== 0);
  refuseSharedPorts(fixed);

  const results = await Promise.allSettled(
    fixed.map(([, port]) => probe(port)),
  );
  const errors = results.flatMap((r) =>
    r.status === 'rejected' ? [r.reason as Error] : [],
  );
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    throw new AggregateError(errors, `${errors.length} ports are taken`);
  }
}

/** Two listeners cannot share a port; the second would fail to bind. */
function refuseSharedPorts(fixed: [string, number][]) {
  const seen = new Map<number, string>();
  for (const [key, port] of fixed) {
    const other = seen.get(port);
    if (other !== undefined) {
      throw new LocalConfigError(
        `${flagOf(other)} and ${flagOf(key)} both ask for port ${port}; ` +
          'give each its own',
      );
    }
    seen.set(port, key);
  }
}

/** `mqttsPort` → `--mqtts-port`, the flag that sets it. */
const flagOf = (key: string) =>
  `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

async function probe(port: number) {
  const server = createServer();
  await listen(server, '127.0.0.1', port);
  await closeServer(server);
}

import { createServer } from 'node:net';
import type { PortKey } from './config.js';
import { closeServer, listen } from './net/listen.js';

/**
 * Checks the stack's fixed ports before the state folder is created or
 * touched: each is bound on 127.0.0.1 and released at once, so that a taken
 * port fails the start with the same ListenError the real listener throws
 * (and the same hint), and a first start leaves no half-made folder behind.
 * Port 0 is skipped: the OS picks a free one. Two options on one port are
 * refused before, with the command line (parseLocalCommand).
 *
 * Known limitation: a port taken between this check and the real bind
 * still fails the start later, after the folder was set up; the window is
 * the few seconds a start takes, and the start reports it the same way.
 */
export async function assertPortsFree(ports: Record<PortKey, number>) {
  // Each port once: a second probe of the same port would find it held by
  // the first.
  const fixed = [...new Set(Object.values(ports))].filter((p) => p !== 0);

  const results = await Promise.allSettled(fixed.map(probe));
  const errors = results.flatMap((r) =>
    r.status === 'rejected' ? [r.reason as Error] : [],
  );
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    throw new AggregateError(errors, `${errors.length} ports are taken`);
  }
}

async function probe(port: number) {
  const server = createServer();
  await listen(server, '127.0.0.1', port);
  await closeServer(server);
}

import type { Server } from 'node:net';
import { ListenError, LocalConfigError } from '../errors.js';

/**
 * The stand-in never listens beyond this machine: it has no authentication
 * worth the name, so only loopback addresses are accepted.
 */
export const LOOPBACK_HOSTS = ['127.0.0.1', '::1'] as const;

export type LoopbackHost = (typeof LOOPBACK_HOSTS)[number];

export function assertLoopback(host: string): LoopbackHost {
  const found = LOOPBACK_HOSTS.find((h) => h === host);
  if (!found) {
    throw new LocalConfigError(
      `host must be a loopback address (${LOOPBACK_HOSTS.join(', ')}), ` +
        `got ${JSON.stringify(host)}`,
    );
  }
  return found;
}

/** Port 0 asks the OS for a free one; the port actually bound is returned. */
export function listen(
  server: Server,
  host: LoopbackHost,
  port: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is already in use' : 'failed';
      reject(
        new ListenError(port, `listening on ${host}:${port} ${why}`, {
          cause: error,
        }),
      );
    };

    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Resolves once the server has stopped and every connection is gone. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    server.close((error) => (error ? reject(error) : resolve()));
  });
}

/** The URL host part: IPv6 addresses need brackets. */
export function urlHost(host: LoopbackHost): string {
  return host.includes(':') ? `[${host}]` : host;
}

export function assertPort(name: string, port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new LocalConfigError(
      `${name} must be an integer from 0 to 65535, got ${port}`,
    );
  }
  return port;
}

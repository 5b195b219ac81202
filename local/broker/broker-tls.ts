import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { Aedes, Client } from 'aedes';
import { type LoopbackHost, listen } from '../net/listen.js';
import type { DeniedEvent } from './broker.js';
import {
  type DeviceDirectory,
  untrustedPeerReason,
} from './certificate-auth.js';
import { DENY_REASONS, type DenyReason } from './policy.js';
import type { Grants } from './policy-hooks.js';

export const brokerTlsDefaults = {
  /** MQTT over TLS; IoT Core uses 8883, often taken by a system broker. */
  port: 18_883,
  /** IoT Core accepts TLS 1.2 and 1.3 only. */
  minVersion: 'TLSv1.2',
} as const;

export interface BrokerTlsOptions {
  /** 0 picks a free port. @default 18883 */
  port?: number;
  /** The CA that signs device certificates, PEM; the only one trusted. */
  ca: string;
  /** The broker's own certificate and key, PEM. */
  cert: string;
  key: string;
  /** The IoT registry: certificates, their status and their things. */
  directory: DeviceDirectory;
}

/**
 * The mTLS listener, as IoT Core's device endpoint: a client certificate is
 * required and must chain to the local CA, or the connection is closed
 * before any MQTT byte reaches aedes (each refusal is reported as a refused
 * connect, with OpenSSL's verdict as `detail`). What the certificate may
 * do is decided in the aedes hooks (policy-hooks.ts). When a certificate
 * leaves ACTIVE, its connections are closed, as IoT does after
 * UpdateCertificate.
 */
export async function startTlsListener(
  aedes: Aedes,
  host: LoopbackHost,
  options: BrokerTlsOptions,
  denied: (event: DeniedEvent) => void,
  grants: Grants,
): Promise<{ server: Server; port: number; stop: () => void }> {
  const server = createServer(
    {
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      requestCert: true,
      // Checked below instead, so that each refusal says why.
      rejectUnauthorized: false,
      minVersion: brokerTlsDefaults.minVersion,
    },
    (socket) => {
      if (socket.authorized) return aedes.handle(socket);
      denied(refusal(socket, untrustedPeerReason(socket)));
      socket.destroy();
    },
  );
  server.on('tlsClientError', (error: Error, socket: TLSSocket) => {
    denied({
      ...refusal(socket, DENY_REASONS.tlsFailed),
      detail: error.message,
    });
  });

  const port = await listen(
    server,
    host,
    options.port ?? brokerTlsDefaults.port,
  );
  const onDisabled = ({ certificateId }: { certificateId: string }) =>
    closeClientsOf(aedes, grants, certificateId);
  options.directory.on('certificate-disabled', onDisabled);
  const stop = () => options.directory.off('certificate-disabled', onDisabled);
  return { server, port, stop };
}

function refusal(socket: TLSSocket, reason: DenyReason): DeniedEvent {
  return {
    action: 'connect',
    clientId: '',
    reason,
    remote: socket.remoteAddress,
    ...(socket.authorizationError
      ? { detail: String(socket.authorizationError) }
      : {}),
  };
}

function closeClientsOf(aedes: Aedes, grants: Grants, certificateId: string) {
  // aedes keeps the connected clients by id; the type does not list it.
  const clients = (aedes as unknown as { clients: Record<string, Client> })
    .clients;
  for (const client of Object.values(clients)) {
    if (grants.get(client)?.certificateId === certificateId) client.close();
  }
}

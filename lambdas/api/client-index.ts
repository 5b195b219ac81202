import type { ApiRequest } from './route-types.js';
import { clientsInView } from './token-scope.js';

/**
 * The gsi1 index (devices and unresolved findings) of every client a
 * listing covers: the one asked for (403 if the token does not reach it),
 * the token's own, or all of them for an MSP token.
 */
export async function indexesInView(
  request: ApiRequest,
  requested: string | undefined,
) {
  const { services, scope } = request;
  const inView = clientsInView(scope, requested);
  const clientIds =
    inView === 'all'
      ? (await services.devices.listClients()).map((c) => c.clientId)
      : inView;
  return Promise.all(clientIds.map((id) => services.reader.clientIndex(id)));
}

import { createJwtAuthorizer } from '../http-api/jwt-authorizer.js';
import {
  type HttpApi,
  type HttpApiOptions,
  startHttpApi,
} from '../http-api/server.js';
import {
  type LocalIssuer,
  type MintOptions,
  openIssuer,
  tokenDefaults,
} from './local-issuer.js';

/**
 * The local HTTP API as infra deploys it: the gateway with the JWT
 * authorizer in front of the api handler, and the local issuer beside it
 * at `<api>/local-issuer` (discovery document and key set), so that the
 * authorizer finds the keys over HTTP as API Gateway finds Cognito's.
 */
export interface SecuredApi {
  api: HttpApi;
  issuer: LocalIssuer;
  mintToken(scope: string, ttlSeconds?: number): Promise<string>;
}

export async function startSecuredApi(
  options: Omit<HttpApiOptions, 'authorizer' | 'documents'> & {
    stateRoot: string;
  },
): Promise<SecuredApi> {
  const { stateRoot, ...gateway } = options;
  let issuer: LocalIssuer | undefined;
  let authorize: ReturnType<typeof createJwtAuthorizer> | undefined;
  const path = tokenDefaults.issuerPath;

  const api = await startHttpApi({
    ...gateway,
    // Set once the port is known; no request is served before that.
    authorizer: (header) =>
      (authorize as NonNullable<typeof authorize>)(header),
    documents: {
      [`${path}/.well-known/openid-configuration`]: () =>
        issuer?.discovery() ?? {},
      [`${path}/.well-known/jwks.json`]: () => issuer?.jwks() ?? { keys: [] },
    },
  });
  const identity = {
    issuer: `${api.url}${path}`,
    audience: tokenDefaults.audience,
  };
  issuer = await openIssuer(stateRoot, identity).catch(async (error) => {
    await api.close();
    throw error;
  });
  authorize = createJwtAuthorizer({
    issuer: identity.issuer,
    audience: [identity.audience],
  });

  const minted = issuer;
  return {
    api,
    issuer: minted,
    mintToken: (scope, ttlSeconds) =>
      minted.mint({ scope, ttlSeconds } satisfies MintOptions),
  };
}

/** The line the stack prints after its banner: how to get a token. */
export function tokenHint(stateDir: string) {
  return `API token  npx upkeep token --scope msp --state ${stateDir}`;
}

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { localDefaults, STATE_ENV } from '../local/config.js';
import {
  readIssuer,
  TokenError,
  tokenDefaults,
} from '../local/tokens/local-issuer.js';

export const TOKEN_HELP = `Usage: upkeep token --scope msp|client:<clientId> [options]

Prints an access token of the local stack's issuer for its HTTP API:
  curl -H "Authorization: Bearer $(upkeep token --scope msp)" \\
    http://127.0.0.1:${localDefaults.apiPort}/devices
An MSP token sees every client; a client token sees that client only.
In AWS, tokens come from the deployment's Cognito user pool (docs/api.md).

Options:
  --scope SCOPE   msp, or client:<clientId> (required)
  --ttl TIME      lifetime: seconds, or with s, m, h or d
                  (default ${tokenDefaults.ttlSeconds / 60}m, at most 30d)
  --state DIR     the stack's state folder, where its issuer key is
                  (env ${STATE_ENV}, default ${localDefaults.stateDir})
  -h, --help      show this help
`;

export interface TokenIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

const processIo: TokenIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
};

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * `30`, `30s`, `15m`, `12h`, `7d` as seconds, from 1 s to the issuer's
 * longest lifetime. A refusal quotes the text as typed, never the seconds
 * it came to.
 */
export function parseTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) {
    throw new TokenError(
      'invalid-ttl',
      `--ttl must be a number of seconds or end in s, m, h or d, got "${text}"`,
    );
  }
  const seconds = Number(match[1]) * (UNITS[match[2] || 's'] ?? 1);
  if (seconds < 1 || seconds > tokenDefaults.maxTtlSeconds) {
    throw new TokenError(
      'invalid-ttl',
      `--ttl must be from 1s to ${tokenDefaults.maxTtlSeconds / 86_400}d, ` +
        `got "${text}"`,
    );
  }
  return seconds;
}

/**
 * `upkeep token`: exit 0 with the token on stdout, 1 when there is no
 * issuer in the state folder, 2 for a wrong command line.
 */
export async function runTokenCommand(
  argv: string[],
  io: TokenIo = processIo,
): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, strict: true });
  } catch (error) {
    io.stderr(`upkeep token: ${(error as Error).message}\n\n${TOKEN_HELP}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    io.stdout(TOKEN_HELP);
    return 0;
  }

  const state = resolve(
    io.cwd,
    values.state ?? io.env[STATE_ENV] ?? localDefaults.stateDir,
  );
  try {
    if (!values.scope) {
      throw new TokenError('missing-scope', '--scope is required');
    }
    const ttlSeconds = parseTtl(values.ttl ?? String(tokenDefaults.ttlSeconds));
    const issuer = await readIssuer(state);
    io.stdout(`${await issuer.mint({ scope: values.scope, ttlSeconds })}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    io.stderr(`upkeep token: ${error.message}\n`);
    return error.code === 'no-issuer' ? 1 : 2;
  }
}

const OPTIONS = {
  scope: { type: 'string' },
  ttl: { type: 'string' },
  state: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

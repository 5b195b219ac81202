// esbuild options shared by the build and the benchmarks, so that what the
// benchmarks measure is what `npm run build` ships.

const NODE_REQUIRE_BANNER =
  "import { createRequire as __upkeepRequire } from 'node:module';" +
  'const require = __upkeepRequire(import.meta.url);';

export const commonOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // Some CommonJS dependencies call require(); ESM bundles need one.
  banner: { js: NODE_REQUIRE_BANNER },
};

/**
 * mqtt.js carries transports the agent never uses (WebSocket, SOCKS proxy,
 * browser worker timers) and a userland copy of Node's streams. The agent
 * speaks MQTT over TCP or TLS only, so these are replaced at build time:
 * about 230 KB less bundle and fewer modules in memory.
 */
const OMITTED = {
  ws:
    'export default class WebSocket { constructor() {' +
    " throw new Error('WebSocket transport is not built into the agent'); } }",
  socks:
    'export const SocksClient = { createConnection() {' +
    " throw new Error('SOCKS proxies are not built into the agent'); } };",
  'worker-timers':
    'export const setTimeout = globalThis.setTimeout;' +
    'export const clearTimeout = globalThis.clearTimeout;' +
    'export const setInterval = globalThis.setInterval;' +
    'export const clearInterval = globalThis.clearInterval;',
};

const agentSlimming = {
  name: 'upkeep-agent-slimming',
  setup(build) {
    const names = Object.keys(OMITTED).join('|');
    build.onResolve({ filter: new RegExp(`^(${names})$`) }, (args) => ({
      path: args.path,
      namespace: 'upkeep-omitted',
    }));
    build.onLoad({ filter: /.*/, namespace: 'upkeep-omitted' }, (args) => ({
      contents: OMITTED[args.path],
      loader: 'js',
    }));
    build.onResolve({ filter: /^readable-stream$/ }, () => ({
      path: 'node:stream',
      external: true,
    }));
  },
};

export const agentBuildOptions = {
  ...commonOptions,
  minify: true,
  plugins: [agentSlimming],
};

export const lambdaBuildOptions = {
  ...commonOptions,
  minify: true,
  // As in infra: the Lambda runtime provides AWS SDK v3.
  external: ['@aws-sdk/*'],
};

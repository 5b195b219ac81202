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
 * browser worker timers), a userland copy of Node's streams and the debug
 * package. The agent speaks MQTT 3.1.1 over TCP or TLS only and logs
 * through its own logger, so these are replaced at build time: about
 * 250 KB less bundle, and the agent process never loads Node's tty,
 * assert, dns and perf_hooks modules for them (debug reads the terminal's
 * colours; mqtt.js's SOCKS client imports assert and dns when it is
 * loaded, even unused).
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
  // mqtt.js and mqtt-packet call debug('namespace') once per module and
  // log through it; DEBUG=mqttjs* prints nothing from the agent bundle.
  debug:
    'function createDebug() { const log = () => {}; log.enabled = false;' +
    ' log.extend = createDebug; return log; }' +
    'createDebug.enable = () => {}; createDebug.disable = () => "";' +
    'createDebug.enabled = () => false; module.exports = createDebug;',
  // Topic aliases are MQTT 5; the agent speaks 3.1.1. lru-cache reads the
  // global performance when loaded, which loads Node's perf_hooks.
  'lru-cache':
    'exports.LRUCache = class LRUCache { constructor() {' +
    " throw new Error('MQTT 5 topic aliases are not built into the agent');" +
    ' } };',
};

/** mqtt.js's SOCKS client, imported by its TCP and TLS connectors. */
const MQTT_SOCKS =
  'exports.default = function openSocks() {' +
  " throw new Error('SOCKS proxies are not built into the agent'); };";

const agentSlimming = {
  name: 'upkeep-agent-slimming',
  setup(build) {
    const names = Object.keys(OMITTED).join('|');
    build.onResolve({ filter: new RegExp(`^(${names})$`) }, (args) => ({
      path: args.path,
      namespace: 'upkeep-omitted',
    }));
    build.onLoad({ filter: /.*/, namespace: 'upkeep-omitted' }, (args) => ({
      contents: args.path === 'mqtt-socks' ? MQTT_SOCKS : OMITTED[args.path],
      loader: 'js',
    }));
    build.onResolve({ filter: /^\.\/socks$/ }, (args) =>
      /[\\/]mqtt[\\/]/.test(args.importer)
        ? { path: 'mqtt-socks', namespace: 'upkeep-omitted' }
        : undefined,
    );
    build.onResolve({ filter: /^readable-stream$/ }, () => ({
      path: 'node:stream',
      external: true,
    }));
  },
};

/**
 * The agent's own core imports come through core/index.ts, which re-exports
 * the whole domain (every zod schema, the finding catalogue). Core modules
 * only declare things, so the agent build may drop the ones it does not
 * use; the agent process then never evaluates them.
 */
const coreWithoutSideEffects = {
  name: 'upkeep-core-without-side-effects',
  setup(build) {
    const core = /[\\/]core[\\/]/;
    build.onResolve({ filter: /^\.\.?\/.*\.js$/ }, async (args) => {
      if (args.pluginData === 'core-resolved') return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'core-resolved',
      });
      const ours =
        core.test(resolved.path) && !/node_modules/.test(resolved.path);
      return ours ? { ...resolved, sideEffects: false } : resolved;
    });
  },
};

/**
 * The agent's own `import ... from 'node:x'` become require('node:x'). An
 * ES import of a Node module reads every export of it to build its
 * namespace, and Node builds some exports on first read: importing
 * parseArgs from node:util loads worker_threads, the colour and diff
 * helpers of assert; importing node:crypto loads Web Crypto. require()
 * reads only the export that is used. The module is handed to the bundle
 * behind a proxy: esbuild's interop reads each export's descriptor, and
 * for Node's lazy exports reading the descriptor builds the export.
 */
const BUILTIN_SHIM = (specifier) =>
  `const m = require(${JSON.stringify(specifier)});` +
  'module.exports = new Proxy({}, {' +
  ' ownKeys: () => Reflect.ownKeys(m),' +
  ' has: (_, key) => key in m,' +
  ' get: (_, key) => m[key],' +
  ' getOwnPropertyDescriptor: (_, key) => key in m' +
  ' ? { configurable: true, enumerable: true, get: () => m[key] }' +
  ' : undefined });';

const builtinsByRequire = {
  name: 'upkeep-builtins-by-require',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => {
      if (args.namespace === 'upkeep-builtin') {
        return { path: args.path, external: true };
      }
      const ours = !/node_modules/.test(args.importer);
      if (!ours || args.kind !== 'import-statement') return undefined;
      return { path: args.path, namespace: 'upkeep-builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'upkeep-builtin' }, (args) => ({
      contents: BUILTIN_SHIM(args.path),
      loader: 'js',
    }));
  },
};

/**
 * How the agent is started: these node flags and environment variables
 * are written into the launchers beside the bundle (upkeep-agent for
 * Linux and macOS, upkeep-agent.cmd for Windows), and bench/agent measures
 * the agent through them. The systemd unit is packaging/linux's, which
 * starts the upkeep-agent launcher with the install bundle. Each one's
 * effect on memory and CPU is in docs/agent.md.
 */
export const agentLaunch = {
  nodeFlags: [
    '--max-opt=2',
    '--no-sparkplug',
    '--bytecode-old-age=1',
    '--max-semi-space-size=1',
    '--expose-gc',
    '--no-memory-reducer',
  ],
  env: { MALLOC_ARENA_MAX: '1' },
};

/** The launchers, written next to the bundle after each build. */
const agentLaunchers = {
  name: 'upkeep-agent-launchers',
  setup(build) {
    const dir = build.initialOptions.outdir;
    if (!dir || build.initialOptions.write === false) return;
    // Chunk names carry a hash: an old build's chunks would stay behind.
    build.onStart(async () => {
      const { rm } = await import('node:fs/promises');
      await rm(`${dir}/agent/chunks`, { recursive: true, force: true });
      // Older builds wrote a unit of their own; packaging/linux has the one.
      await rm(`${dir}/agent/upkeep-agent.service`, { force: true });
    });
    build.onEnd(async (result) => {
      if (result.errors.length === 0) await writeLaunchers(`${dir}/agent`);
    });
  },
};

export const agentBuildOptions = {
  ...commonOptions,
  minify: true,
  // The entry loads the agent or a helper (a check run, a zone table) by
  // dynamic import: each process evaluates only its own part.
  splitting: true,
  chunkNames: 'agent/chunks/[name]-[hash]',
  plugins: [
    agentSlimming,
    coreWithoutSideEffects,
    builtinsByRequire,
    agentLaunchers,
  ],
};

export const lambdaBuildOptions = {
  ...commonOptions,
  minify: true,
  // As in infra: the Lambda runtime provides AWS SDK v3.
  external: ['@aws-sdk/*'],
};

/** The node command line of the launchers, flags then the bundle. */
function nodeArgs(bundle) {
  return [...agentLaunch.nodeFlags, bundle].join(' ');
}

export async function writeLaunchers(dir) {
  const { chmod, mkdir, writeFile } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  const envLines = Object.entries(agentLaunch.env);
  const sh = [
    '#!/bin/sh',
    '# Starts the Upkeep agent with the node flags it is measured with.',
    '# UPKEEP_NODE names the node binary (default: node on the PATH).',
    'here=$(dirname "$0")',
    ...envLines.map(([k, v]) => `${k}=\${${k}:-${v}}; export ${k}`),
    `exec "\${UPKEEP_NODE:-node}" ${nodeArgs('"$here/index.mjs"')} "$@"`,
    '',
  ].join('\n');
  await writeFile(`${dir}/upkeep-agent`, sh);
  await chmod(`${dir}/upkeep-agent`, 0o755);

  const cmd = [
    '@echo off',
    'rem Starts the Upkeep agent with the node flags it is measured with.',
    'if "%UPKEEP_NODE%"=="" set UPKEEP_NODE=node',
    `"%UPKEEP_NODE%" ${nodeArgs('"%~dp0index.mjs"')} %*`,
    '',
  ].join('\r\n');
  await writeFile(`${dir}/upkeep-agent.cmd`, cmd);
}

import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { AGENT_BUNDLE } from './bundle.js';
import { agentBuildOptions } from './esbuild-options.js';

interface VariantSpec {
  about: string;
  /** Built from bench/agent/variant-entry.ts: the number cache off. */
  noNumberCache?: boolean;
  /** Built with mqtt.js's ws and SOCKS transports left out. */
  noWsSocks?: boolean;
  /** Flags node runs the bundle with. */
  nodeFlags?: string[];
  /** Measured on a second start over the state of a first one. */
  restart?: boolean;
}

const SMALL_YOUNG_GENERATION = '--max-semi-space-size=1';
const NO_TURBOFAN = '--max-opt=2';

/**
 * The agent with one suspected cost taken out, to measure what that cost
 * is by its absence. Variants without a build option run
 * dist/agent/index.mjs itself.
 */
export const VARIANTS = {
  'as-built': { about: 'dist/agent/index.mjs as npm run build makes it' },
  'nothing-due': {
    about: 'as-built, restarted on the state of a first start: no check runs',
    restart: true,
  },
  'no-number-cache': {
    about: 'mqtt-packet number cache off (mqtt.js writeCache: false)',
    noNumberCache: true,
  },
  'no-ws-socks': {
    about: 'mqtt.js WebSocket and SOCKS transports left out',
    noWsSocks: true,
  },
  'small-young-gen': {
    about: `node ${SMALL_YOUNG_GENERATION} (young generation 1 MB a half)`,
    nodeFlags: [SMALL_YOUNG_GENERATION],
  },
  'no-turbofan': {
    about: `node ${NO_TURBOFAN} (Maglev is the top compiler tier)`,
    nodeFlags: [NO_TURBOFAN],
  },
  'all-four': {
    about: 'no number cache, no ws/SOCKS, both node flags',
    noNumberCache: true,
    noWsSocks: true,
    nodeFlags: [SMALL_YOUNG_GENERATION, NO_TURBOFAN],
  },
} as const satisfies Record<string, VariantSpec>;

export type VariantName = keyof typeof VARIANTS;

/**
 * mqtt.js's connect() loads every transport it knows on its first call,
 * whatever the URL: `ws` (which loads http, https, zlib and crypto) and
 * the SOCKS proxy client (socks, ip-address, smart-buffer). The agent
 * dials mqtt:// and mqtts:// only; this plugin puts an empty module in
 * their place.
 */
const leaveOutWsAndSocks: Plugin = {
  name: 'leave-out-ws-and-socks',
  setup(b) {
    const transports = /^\.\/(ws|socks|wx|ali)$/;
    b.onResolve({ filter: /^(ws|socks)$/ }, (args) => ({
      path: args.path,
      namespace: 'left-out',
    }));
    b.onResolve({ filter: transports }, (args) =>
      args.importer.includes('/mqtt/build/lib/connect/')
        ? { path: args.path, namespace: 'left-out' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({
      contents: 'module.exports = {};',
      loader: 'js',
    }));
  },
};

export interface BuiltVariant {
  bundle: string;
  /** What follows `node`: flags, then the bundle. */
  agentArgs: string[];
  restart: boolean;
}

/** Builds a variant into `dir` when it needs its own bundle. */
export async function buildVariant(
  root: string,
  dir: string,
  name: VariantName,
): Promise<BuiltVariant> {
  const spec: VariantSpec = VARIANTS[name];
  const bundle =
    spec.noNumberCache || spec.noWsSocks
      ? await buildBundle(root, join(dir, `agent-${name}.mjs`), spec)
      : join(root, AGENT_BUNDLE);
  return {
    bundle,
    agentArgs: [...(spec.nodeFlags ?? []), bundle],
    restart: spec.restart === true,
  };
}

async function buildBundle(root: string, outfile: string, spec: VariantSpec) {
  await build({
    ...agentBuildOptions,
    absWorkingDir: root,
    entryPoints: [
      spec.noNumberCache ? 'bench/agent/variant-entry.ts' : 'agent/main.ts',
    ],
    outfile,
    plugins: spec.noWsSocks ? [leaveOutWsAndSocks] : [],
  });
  return outfile;
}

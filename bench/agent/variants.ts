import { join } from 'node:path';
import { build } from 'esbuild';
import {
  agentLaunch,
  // @ts-expect-error: a plain ES module shared with scripts/build.mjs.
} from '../../scripts/build-options.mjs';
import { AGENT_BUNDLE, AGENT_LAUNCHER } from './bundle.js';
import { agentBuildOptions } from './esbuild-options.js';
import type { AgentLaunch } from './idle.js';

/** The node flags and environment the launchers start the agent with. */
export const launch = agentLaunch as {
  nodeFlags: string[];
  env: Record<string, string>;
};

interface VariantSpec {
  about: string;
  /**
   * Started by node with these flags and environment instead of the
   * launcher (which uses launch.nodeFlags and launch.env).
   */
  node?: { flags: string[]; env: Record<string, string> };
  /** Built from bench/agent/variant-entry.ts: checks in the agent. */
  checksInAgent?: boolean;
  /** Measured on a second start over the state of a first one. */
  restart?: boolean;
}

const without = (flag: string) => launch.nodeFlags.filter((f) => f !== flag);

/**
 * The agent with one of its measures taken out (or one more flag put in),
 * to measure what each is worth by its absence. Variants without `node`
 * start through dist/agent/upkeep-agent, as a device does.
 */
export const VARIANTS = {
  'as-built': { about: 'dist/agent/upkeep-agent, as shipped' },
  'nothing-due': {
    about: 'as-built, restarted on the state of a first start: no check runs',
    restart: true,
  },
  'checks-in-agent': {
    about: 'every check run inside the agent (no helper processes)',
    checksInAgent: true,
  },
  'no-launch-flags': {
    about: 'node index.mjs: none of the launcher flags or environment',
    node: { flags: [], env: {} },
  },
  'no-max-opt': {
    about: 'without --max-opt=2 (TurboFan back as the top tier)',
    node: { flags: without('--max-opt=2'), env: launch.env },
  },
  'with-sparkplug': {
    about: 'without --no-sparkplug (baseline code for warm functions)',
    node: { flags: without('--no-sparkplug'), env: launch.env },
  },
  'default-bytecode-age': {
    about: 'without --bytecode-old-age=1 (bytecode kept for 6 full GCs)',
    node: { flags: without('--bytecode-old-age=1'), env: launch.env },
  },
  'no-compaction': {
    about: 'without --expose-gc (no full collections after a run of checks)',
    node: { flags: without('--expose-gc'), env: launch.env },
  },
  'with-memory-reducer': {
    about: "without --no-memory-reducer (V8's own idle collections back)",
    node: { flags: without('--no-memory-reducer'), env: launch.env },
  },
  'no-semi-space': {
    about: 'without --max-semi-space-size=1 (default young generation)',
    node: { flags: without('--max-semi-space-size=1'), env: launch.env },
  },
  'no-arena-limit': {
    about: 'without MALLOC_ARENA_MAX=1 (glibc: an arena per thread)',
    node: { flags: launch.nodeFlags, env: {} },
  },
  'lite-mode': {
    about: 'launcher flags plus --lite-mode (no optimising compiler)',
    node: { flags: [...launch.nodeFlags, '--lite-mode'], env: launch.env },
  },
} as const satisfies Record<string, VariantSpec>;

export type VariantName = keyof typeof VARIANTS;

export interface BuiltVariant {
  /** The entry the variant runs (its size is the variant's bundle). */
  bundle: string;
  agent: AgentLaunch;
  restart: boolean;
}

/** Builds a variant into `dir` when it needs its own bundle. */
export async function buildVariant(
  root: string,
  dir: string,
  name: VariantName,
  node: string,
): Promise<BuiltVariant> {
  const spec: VariantSpec = VARIANTS[name];
  const restart = spec.restart === true;
  if (spec.checksInAgent) {
    const bundle = await buildInAgentBundle(root, join(dir, name));
    const agent = {
      command: node,
      args: [...launch.nodeFlags, bundle],
      env: launch.env,
    };
    return { bundle, agent, restart };
  }

  const bundle = join(root, AGENT_BUNDLE);
  const agent = spec.node
    ? { command: node, args: [...spec.node.flags, bundle], env: spec.node.env }
    : launcherOf(root, node);
  return { bundle, agent, restart };
}

/** The agent as a device starts it: the launcher, with this node. */
export function launcherOf(root: string, node: string): AgentLaunch {
  return {
    command: join(root, AGENT_LAUNCHER),
    args: [],
    env: { UPKEEP_NODE: node },
  };
}

async function buildInAgentBundle(root: string, outdir: string) {
  await build({
    ...agentBuildOptions,
    absWorkingDir: root,
    entryPoints: { 'agent/index': 'bench/agent/variant-entry.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
  });
  return join(outdir, 'agent/index.mjs');
}

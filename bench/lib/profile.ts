import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** The parts of a V8 CPU profile (Profiler.stop) the summary reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: {
      functionName: string;
      url: string;
      lineNumber: number;
    };
    children?: number[];
  }[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface HotSpot {
  name: string;
  /** Share of the sampled time spent in it (self time), percent. */
  selfPercent: number;
}

/** A part of the system, told by the script URLs of its frames. */
export interface Component {
  name: string;
  url: RegExp;
  /** Leave its samples out of every share (the profiler's own work). */
  ignore?: boolean;
}

export interface ProfileSummary {
  sampledMs: number;
  /**
   * Time by component: each sample goes to the component of the frame
   * nearest the leaf that belongs to one, so that node's own code (JSON,
   * http, streams) counts for whoever called it. Idle and GC stay apart.
   */
  byComponent: HotSpot[];
  /** Self time by package (node_modules/<pkg>), node internals or repo. */
  byPackage: HotSpot[];
  /** Self time by function. */
  byFunction: HotSpot[];
}

/**
 * Profiles this process's main thread while `work` runs, and writes the
 * profile to `saveTo` (open it in Chrome DevTools) when given.
 */
export async function profiled<T>(
  work: () => Promise<T>,
  saveTo?: string,
): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    const result = await work();
    const { profile } = await session.post('Profiler.stop');
    if (saveTo) writeFileSync(saveTo, JSON.stringify(profile));
    return { result, profile: profile as CpuProfile };
  } finally {
    session.disconnect();
  }
}

/** Where the samples fell, largest first. */
export function summariseProfile(
  profile: CpuProfile,
  components: readonly Component[] = [],
  top = 12,
): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = parentsOf(profile);
  const componentOf = componentResolver(profile, parent, components);
  const labelOf = labeller(byId, parent);
  const ignored = new Set(
    components.filter((c) => c.ignore).map((c) => c.name),
  );
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  const parts = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;

  samples.forEach((id, i) => {
    const node = byId.get(id);
    const micros = Math.max(0, deltas[i] ?? 0);
    const part = componentOf(id);
    if (!node || ignored.has(part)) return;
    total += micros;
    const frame = node.callFrame;
    add(packages, packageOf(frame.url, frame.functionName), micros);
    add(functions, labelOf(id), micros);
    add(parts, part, micros);
  });

  return {
    sampledMs: Math.round(total / 1000),
    byComponent: ranked(parts, total, components.length + 4),
    byPackage: ranked(packages, total, top),
    byFunction: ranked(functions, total, top),
  };
}

/** Node id → component name, walking from a node towards the root. */
function componentResolver(
  profile: CpuProfile,
  parent: Map<number, number>,
  components: readonly Component[],
) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const memo = new Map<number, string>();

  const resolve = (id: number): string => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const frame = byId.get(id)?.callFrame;
    const own = frame && components.find((c) => c.url.test(frame.url));
    const special = V8_CATEGORIES.find((c) => c === frame?.functionName);
    const up = parent.get(id);
    const name =
      own?.name ?? special ?? (up === undefined ? REST : resolve(up));
    memo.set(id, name);
    return name;
  };
  return resolve;
}

/**
 * Samples under no part: in these profiles, node's HTTP client and server,
 * socket writes and the promise job queue that the parts' requests use.
 */
const REST = 'Node.js runtime under no part (HTTP, sockets, promise jobs)';

/** Samples V8 files under no script: waiting, collecting, its own work. */
const V8_CATEGORIES = ['(idle)', '(garbage collector)', '(program)'];

/** node_modules/<pkg>, `node:<area>`, a repo folder, or a V8 category. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'anonymous'})`;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    const scoped = parts[0]?.startsWith('@');
    return scoped ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  if (url.startsWith('node:')) return url.split('/')[0] ?? url;
  const repo = url.match(/\/(core|lambdas|local|agent|bench)\/([^/]+)/);
  return repo ? `${repo[1]}/${repo[2]}` : url;
}

/** Child node id → parent node id. */
function parentsOf(profile: CpuProfile) {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  return parent;
}

/**
 * A readable name per node. A nameless frame without a script is native
 * code (a C++ binding, a builtin); it is named after its caller.
 */
function labeller(
  byId: Map<number, CpuProfile['nodes'][number]>,
  parent: Map<number, number>,
) {
  return (id: number) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return '(unknown)';
    const native = !frame.url && !frame.functionName;
    const caller = byId.get(parent.get(id) ?? -1)?.callFrame;
    return native && caller
      ? `native code called by ${functionLabel(caller)}`
      : functionLabel(frame);
  };
}

function functionLabel(frame: CpuProfile['nodes'][number]['callFrame']) {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const file = frame.url.split('/').slice(-2).join('/');
  const where = packageOf(frame.url, name);
  return `${name} (${where}: ${file}:${frame.lineNumber + 1})`;
}

function add(map: Map<string, number>, key: string, micros: number) {
  map.set(key, (map.get(key) ?? 0) + micros);
}

function ranked(map: Map<string, number>, total: number, top: number) {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, micros]) => ({
      name,
      selfPercent: total > 0 ? Math.round((micros / total) * 1000) / 10 : 0,
    }));
}

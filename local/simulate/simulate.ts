import { Logger } from '@aws-lambda-powertools/logger';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { runnableCycles } from '../../agent/scheduler/run-cycle.js';
import {
  CYCLES,
  type CycleDefinition,
  cycleExpression,
  cycleGroupOf,
  nextCycleWindow,
  type PolicyOverride,
} from '../../core/index.js';
import { createCyclesHandler } from '../../lambdas/cycles/create-cycles-handler.js';
import { type AwsClients, createClients } from '../../lambdas/lib/clients.js';
import { clientItem } from '../../lambdas/lib/items.js';
import { PolicyLayerStore } from '../../lambdas/lib/policy-layers.js';
import { createLambdaContext } from '../lambda-context.js';
import { buildEnvelope } from '../rules/envelope.js';
import {
  CalibrationLane,
  type LaneFigures,
  TABLE_NAME,
} from './calibration-lane.js';
import {
  addDeviceCoverage,
  type CoverageTally,
  emptyTally,
} from './coverage.js';
import { EventLoop } from './event-loop.js';
import { FleetLane, type FleetLaneCounts } from './fleet-lane.js';
import { Meter, type MeterCounts } from './meter.js';
import { planDevice } from './profiles.js';
import { Rng } from './rng.js';
import { SIM_CHECKS } from './sim-checks.js';
import { SimDevice } from './sim-device.js';
import { SimIot } from './sim-iot.js';
import { type FleetCounts, summarise } from './summary.js';

export type { SimulationResult } from './summary.js';

/**
 * The fleet simulator (`upkeep simulate`, docs/cycles.md): N agents with
 * their real scheduler on a virtual clock, roaming through weeks of office
 * hours, weekends, holidays, sleep and flaky Wi-Fi, against the cloud
 * pieces that decide what they run and what is kept: the cycles handler on
 * simulated EventBridge schedules, the IoT broker's delivery rules, and
 * the ingest path with its idempotency.
 */
export const simulateDefaults = {
  devices: 1000,
  weeks: 4,
  seed: 20_260_302,
  /** A Monday; the run crosses both 2026 spring DST changes. */
  start: '2026-03-02T00:00:00.000Z',
  /** Devices whose messages also run through the whole ingest handler. */
  verifyDevices: 2,
  /**
   * The scheduler's tick, ms. The agent uses 60 s; 10 min here keeps a
   * 1000-device month within minutes. The tick only bounds how late a wake
   * is noticed and how often a waiting heavy cycle looks at the power.
   */
  tickMs: 15 * 60_000,
  /**
   * Cloud cycle ids each agent remembers (the agent keeps 64). A repeated
   * cycle message is at most an hour old (the session expiry), which 16
   * covers many times over; the planner walks this list on every look, so
   * a shorter one keeps the fleet fast.
   */
  acceptedKept: 16,
  /** Share of device publishes whose PUBACK is lost (at-least-once). */
  pubackLoss: 0.002,
  /** EventBridge Scheduler's flexible window of the schedules, ms. */
  flexibleWindowMs: 15 * 60_000,
};

export const SIM_CLIENTS: readonly {
  clientId: string;
  layer: PolicyOverride;
}[] = [
  { clientId: 'paris', layer: { timeZone: 'Europe/Paris' } },
  { clientId: 'york', layer: { timeZone: 'America/New_York' } },
  {
    clientId: 'tokyo',
    layer: {
      timeZone: 'Asia/Tokyo',
      maintenanceWindow: { start: '12:00', end: '13:30' },
    },
  },
  { clientId: 'london', layer: { timeZone: 'Europe/London' } },
];

export type SimulateOptions = Partial<typeof simulateDefaults> & {
  /** Called once per simulated day with the day number (1-based). */
  onDay?: (day: number, days: number) => void;
};

type Resolved = typeof simulateDefaults & SimulateOptions;

/** A part of the fleet run on its own: devices [from, to). */
export interface ShardRange {
  from: number;
  to: number;
}

/** What one shard counted; shards add up to the fleet. */
export interface ShardCounts {
  devices: number;
  days: number;
  meter: MeterCounts;
  fleet: FleetLaneCounts;
  tally: CoverageTally;
  /** The first shard's: it runs the calibration lane. */
  lane?: LaneFigures;
  verification: Verification;
  events: number;
}

const DAY = 86_400_000;

/** The whole fleet in this process, summarised. */
export async function simulateFleet(options: SimulateOptions = {}) {
  const started = performance.now();
  const o: Resolved = { ...simulateDefaults, ...options };
  const shard = await runShard(o, { from: 0, to: o.devices });
  return summariseShards([shard], o, (performance.now() - started) / 1000);
}

/** Adds up the shards of one run and summarises them. */
export function summariseShards(
  shards: readonly ShardCounts[],
  options: SimulateOptions,
  elapsedSeconds: number,
) {
  const o: Resolved = { ...simulateDefaults, ...options };
  const first = shards[0];
  if (!first?.lane)
    throw new Error('the first shard runs the calibration lane');
  const counts: FleetCounts = {
    devices: sum(shards, (s) => s.devices),
    days: first.days,
    meter: mergeMeters(shards.map((s) => s.meter)),
    fleet: addUp(shards.map((s) => s.fleet)),
    tally: mergeTallies(shards.map((s) => s.tally)),
    lane: first.lane,
    verification: addUp(shards.map((s) => s.verification)),
    events: sum(shards, (s) => s.events),
    elapsedSeconds,
    seed: o.seed,
    tickMs: o.tickMs,
    shards: shards.length,
  };
  return summarise(counts);
}

/**
 * Runs devices [from, to) of the fleet: every device draws its plan from
 * the seed and its own index, so a device behaves the same whichever shard
 * runs it. Each shard runs the schedules and the cycles function for its
 * own devices; the deployment's own counts are taken from the first.
 */
export async function runShard(
  options: SimulateOptions,
  range: ShardRange,
): Promise<ShardCounts> {
  const o: Resolved = { ...simulateDefaults, ...options };
  const start = Date.parse(o.start);
  const days = Math.round(o.weeks * 7);
  const end = start + days * DAY;
  const loop = new EventLoop(start);
  const meter = new Meter();
  const iot = new SimIot(loop, meter);
  const fleet = new FleetLane();
  const lane = await CalibrationLane.start();
  // The cycles function's own clients: its reads are not the lane's.
  const cloud = createClients({
    region: 'us-east-1',
    endpoints: { dynamodb: lane.endpoint },
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await seedClients(cloud);
    const rng = new Rng(o.seed);
    const verified = new Set<string>();
    const build = {
      o,
      loop,
      iot,
      meter,
      fleet,
      lane,
      rng,
      start,
      days,
      verified,
    };
    const devices: BuiltDevice[] = [];
    for (let i = range.from; i < range.to; i++) {
      devices.push(await buildDevice(build, i));
    }

    scheduleCycles(
      loop,
      iot,
      meter,
      cloud,
      { start, end },
      o.flexibleWindowMs,
      rng,
    );
    for (let day = 1; day <= days; day++) {
      await loop.run(start + day * DAY);
      o.onDay?.(day, days);
    }
    for (const { device } of devices) device.finish(end);
    iot.closeAll(end);
    await lane.drained();

    return {
      devices: devices.length,
      days,
      meter: meter.counts(),
      fleet: fleet.counts(),
      tally: coverageOf(devices, fleet, start, end),
      lane: range.from === 0 ? lane.figures() : undefined,
      verification: await verify(lane, fleet, verified),
      events: loop.processed,
    };
  } finally {
    cloud.dynamo.destroy();
    cloud.sqs.destroy();
    await lane.close();
  }
}

interface BuiltDevice {
  device: SimDevice;
  timeZone: string;
}

interface BuildContext {
  o: Resolved;
  loop: EventLoop;
  iot: SimIot;
  meter: Meter;
  fleet: FleetLane;
  lane: CalibrationLane;
  rng: Rng;
  start: number;
  days: number;
  verified: Set<string>;
}

/** Device i: its client, plan and agent; the first few are calibrated. */
async function buildDevice(b: BuildContext, i: number): Promise<BuiltDevice> {
  const client = SIM_CLIENTS[i % SIM_CLIENTS.length] as (typeof SIM_CLIENTS)[0];
  const thingName = `sim-${String(i + 1).padStart(5, '0')}`;
  const timeZone = String(client.layer.timeZone);
  const deviceRng = b.rng.fork(i + 1);
  const calibrated = i < b.o.verifyDevices;
  if (calibrated) {
    b.verified.add(thingName);
    await b.lane.register(thingName, client.clientId);
  }

  const device = new SimDevice({
    thingName,
    group: cycleGroupOf(client.clientId),
    policy: {
      timeZone,
      maintenanceWindow: client.layer.maintenanceWindow as never,
    },
    plan: planDevice(deviceRng, timeZone, b.start, b.days),
    loop: b.loop,
    iot: b.iot,
    meter: b.meter,
    rng: deviceRng,
    tuning: { tickMs: b.o.tickMs, acceptedKept: b.o.acceptedKept },
    pubackLoss: b.o.pubackLoss,
    publish: (topic, payload, at) => {
      const body = JSON.stringify(
        buildEnvelope({
          topic,
          payload: Buffer.from(payload),
          clientId: thingName,
          receivedAt: at,
        }),
      );
      b.meter.ingested();
      if (calibrated) {
        b.lane.enqueue(body, topic.endsWith('/hello') ? 'hello' : 'report');
      }
      return b.fleet.ingest(body, client.clientId);
    },
  });
  return { device, timeZone };
}

function coverageOf(
  devices: readonly BuiltDevice[],
  fleet: FleetLane,
  start: number,
  end: number,
) {
  const tally = emptyTally();
  const cycles = runnableCycles(CYCLES, SIM_CHECKS);
  for (const { device, timeZone } of devices) {
    addDeviceCoverage(tally, {
      cycles,
      timeZone,
      start,
      end,
      connected: device.connectedSpans,
      reports: fleet.reports.get(device.thingName) ?? [],
    });
  }
  return tally;
}

function sum<T>(items: readonly T[], pick: (item: T) => number) {
  return items.reduce((total, item) => total + pick(item), 0);
}

/** Field-by-field sums of objects of numbers. */
function addUp<T extends object>(items: readonly T[]): T {
  const out: Record<string, number> = {};
  for (const item of items) {
    for (const [key, value] of Object.entries(item)) {
      out[key] = (out[key] ?? 0) + (value as number);
    }
  }
  return out as T;
}

/**
 * Device counts add up; the deployment's (schedules, the cycles function,
 * group publishes) ran in every shard alike and are taken once.
 */
function mergeMeters(meters: readonly MeterCounts[]): MeterCounts {
  const { connectsPerMinute: _first, ...first } = meters[0] as MeterCounts;
  const numbers = addUp(meters.map(({ connectsPerMinute: _c, ...n }) => n));
  const merged = { ...numbers, connectsPerMinute: [] } as MeterCounts;
  for (const key of DEPLOYMENT_COUNTS) merged[key] = first[key];
  merged.connectsPerMinute = mergedMinutes(meters);
  return merged;
}

const DEPLOYMENT_COUNTS = [
  'schedulerInvocations',
  'cyclesInvocations',
  'cyclesMs',
  'groupPublishMessages',
] as const;

function mergedMinutes(meters: readonly MeterCounts[]): [number, number][] {
  const perMinute = new Map<number, number>();
  for (const meter of meters) {
    for (const [minute, n] of meter.connectsPerMinute) {
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + n);
    }
  }
  return [...perMinute];
}

function mergeTallies(tallies: readonly CoverageTally[]): CoverageTally {
  const merged = emptyTally();
  for (const t of tallies) {
    merged.due += t.due;
    merged.done += t.done;
    merged.censored += t.censored;
    for (const [kind, n] of Object.entries(t.missedByKind)) {
      merged.missedByKind[kind] = (merged.missedByKind[kind] ?? 0) + n;
    }
  }
  return merged;
}

/** The clients, their policy layers and directory entries. */
async function seedClients(cloud: AwsClients) {
  const layers = new PolicyLayerStore(cloud.doc, TABLE_NAME);
  for (const { clientId, layer } of SIM_CLIENTS) {
    await cloud.doc.send(
      new PutCommand({
        TableName: TABLE_NAME,
        Item: clientItem(clientId, '2026-01-01T00:00:00.000Z'),
      }),
    );
    await layers.put({ kind: 'client', clientId }, layer, Date.now());
  }
}

/**
 * EventBridge Scheduler, simulated: one schedule per rate kind, one per
 * cron kind and client time zone (infra/lib/cycle-schedules.ts), each
 * firing within its flexible window and invoking the real cycles handler
 * with the scheduled time.
 */
function scheduleCycles(
  loop: EventLoop,
  iot: SimIot,
  meter: Meter,
  cloud: AwsClients,
  { start, end }: { start: number; end: number },
  flexibleWindowMs: number,
  rng: Rng,
) {
  const handler = createCyclesHandler({
    config: {
      tableName: TABLE_NAME,
      region: 'us-east-1',
      endpoints: {},
      serviceName: 'upkeep-cycles',
      logLevel: 'SILENT',
    },
    clients: cloud,
    publish: (topic, payload) => iot.publishGroup(topic, payload),
    logger: new Logger({ serviceName: 'upkeep-cycles', logLevel: 'SILENT' }),
    now: () => loop.now,
  });
  const zones = [...new Set(SIM_CLIENTS.map((c) => String(c.layer.timeZone)))];
  for (const cycle of CYCLES) {
    const cron = cycleExpression(cycle).type === 'cron';
    for (const zone of cron ? zones : ['UTC']) {
      for (const dueAt of firings(cycle, zone, start, end)) {
        loop.at(dueAt + rng.between(0, flexibleWindowMs), async () => {
          meter.schedulerInvocations++;
          meter.cyclesInvocations++;
          const began = performance.now();
          await handler(
            {
              kind: cycle.kind,
              ...(cron ? { timeZone: zone } : {}),
              scheduledTime: new Date(dueAt).toISOString(),
            },
            createLambdaContext({ functionName: 'upkeep-cycles' }),
          );
          meter.cyclesMs += performance.now() - began;
        });
      }
    }
  }
}

function firings(
  cycle: CycleDefinition,
  zone: string,
  start: number,
  end: number,
) {
  const times: number[] = [];
  let from = start - 1;
  for (;;) {
    const window = nextCycleWindow(cycle, from, zone);
    if (!window || window.dueAt >= end) return times;
    times.push(window.dueAt);
    from = window.dueAt;
  }
}

interface Verification {
  devices: number;
  tableReports: number;
  mismatched: number;
}

async function verify(
  lane: CalibrationLane,
  fleet: FleetLane,
  verified: ReadonlySet<string>,
): Promise<Verification> {
  let tableReports = 0;
  let mismatched = 0;
  for (const thing of verified) {
    const inTable = new Set(await lane.reportIds(thing));
    const inFleet = new Set(
      (fleet.reports.get(thing) ?? []).map((r) => r.reportId),
    );
    tableReports += inTable.size;
    for (const id of inTable) if (!inFleet.has(id)) mismatched++;
    for (const id of inFleet) if (!inTable.has(id)) mismatched++;
  }
  return { devices: verified.size, tableReports, mismatched };
}

import { type MonthlyUsage, monthlyCost } from '../../core/index.js';
import type { LaneFigures } from './calibration-lane.js';
import type { CoverageTally } from './coverage.js';
import type { FleetLaneCounts } from './fleet-lane.js';
import { type MeterCounts, maxReconnectBurst } from './meter.js';

/**
 * Turns the counts of a run into the figures `upkeep simulate` prints, and
 * the AWS cost per device and month at `fleetSize` devices (DESIGN §10):
 * per-device counts scale with the fleet, the deployment's own (schedules,
 * the cycles and sweep functions, idle queue polling, group publishes)
 * are shared by it. What is counted and what is modelled:
 */
export const costModel = {
  /** Devices sharing the deployment's fixed costs. */
  fleetSize: 10_000,
  daysPerMonth: 30,
  /** Ingest: one message per invocation (a fleet's trickle), 512 MB. */
  ingestGb: 0.5,
  /**
   * Ingest time: the handler awaits its DynamoDB calls one after another
   * (counted in the calibration lane); DynamoDB answers in single-digit
   * milliseconds in the region, taken as 6 ms, plus 5 ms of parsing.
   */
  ingestMs: { base: 5, perDynamoCall: 6 },
  /** Presence function: one lifecycle event, one conditional write. */
  presence: { gb: 0.125, ms: 10, writeUnits: 1 },
  /** Cycles function memory; its time is measured. */
  cyclesGb: 0.25,
  /**
   * Sweep, hourly: every META item read through gsi1 (under 4 KB, half a
   * unit eventually consistent), about 1 s per 1000 devices at 256 MB.
   */
  sweep: { perDay: 24, readUnitsPerDevice: 0.5, msPerDevice: 1, gb: 0.25 },
  /** SQS event source: receive and delete per invocation. */
  sqsPerInvocation: 2,
  /** Idle long polling of the event source, 5 pollers x 3/min, a month. */
  sqsIdlePollsPerMonth: 5 * 3 * 60 * 24 * 30,
  /** REPORT items are kept this long (REPORT_RETENTION_DAYS). */
  reportRetentionDays: 90,
  /** Key, attribute names and the other items of a device, bytes. */
  itemOverheadBytes: 300,
  deviceItemsBytes: 10_000,
};

export interface FleetCounts {
  devices: number;
  days: number;
  meter: MeterCounts;
  fleet: FleetLaneCounts;
  lane: LaneFigures;
  tally: CoverageTally;
  verification: { devices: number; tableReports: number; mismatched: number };
  events: number;
  elapsedSeconds: number;
  seed: number;
  tickMs: number;
  shards: number;
}

const round = (value: number, digits: number) =>
  Math.round(value * 10 ** digits) / 10 ** digits;

export function summarise(c: FleetCounts) {
  const { meter, fleet, lane, tally } = c;
  const deviceDays = c.devices * c.days;
  const usage = usagePerDeviceMonth(c);
  const cost = monthlyCost(usage);

  return {
    devices: c.devices,
    simulatedDays: c.days,
    dueCycles: tally.due,
    completedWithin24hOfReconnect: tally.done,
    coverage: round(tally.due === 0 ? 0 : tally.done / tally.due, 4),
    duplicateRuns: meter.duplicateRuns,
    maxReconnectBurst: maxReconnectBurst([meter]),
    messagesPerDevicePerDay: round(meter.iotMessages / deviceDays, 1),
    bytesPerDevicePerDay: Math.round(meter.iotBytes / deviceDays),
    costPerDeviceMonthUsd: round(cost.total, 5),
    details: {
      censoredWindows: tally.censored,
      missedByKind: tally.missedByKind,
      reportsProduced: meter.reportsProduced,
      reportsStored: fleet.reportsStored,
      /** Built but still in an outbox when the run ended (device away). */
      reportsQueuedAtEnd: meter.reportsProduced - fleet.reportsStored,
      storeDuplicates: fleet.storeDuplicates,
      redeliveredMessages: meter.redelivered,
      idempotentRepeats: fleet.idempotentRepeats,
      rejectedMessages: fleet.rejected,
      hellos: fleet.hellos,
      cycleMessages: {
        delivered: meter.cycleMessagesDelivered,
        dropped: meter.cycleMessagesDropped,
      },
      connectionsPerDevicePerDay: round(meter.connections / deviceDays, 2),
      connectedMinutesPerDevicePerDay: round(
        meter.connectionMinutes / deviceDays,
        1,
      ),
      calibration: { ...lane, ...c.verification },
      usagePerDeviceMonth: roundAll(usage, 4),
      costPerDeviceMonthUsd: roundAll(cost, 6),
      model: costModel,
      run: {
        seed: c.seed,
        schedulerTickMs: c.tickMs,
        events: c.events,
        shards: c.shards,
        elapsedSeconds: round(c.elapsedSeconds, 1),
      },
    },
  };
}

export type SimulationResult = ReturnType<typeof summarise>;

function usagePerDeviceMonth(c: FleetCounts): MonthlyUsage {
  const { meter, lane } = c;
  const m = costModel;
  const perDevice = m.daysPerMonth / (c.days * c.devices);
  const perFleet = m.daysPerMonth / c.days / m.fleetSize;
  const messages = meter.ingestMessages;
  const hellos = c.fleet.hellos;
  const reports = messages - hellos;
  const cyclesMs = meter.cyclesInvocations
    ? meter.cyclesMs / meter.cyclesInvocations
    : 0;
  const sweepRuns = m.sweep.perDay * m.daysPerMonth;
  const ingestMs = (calls: number) =>
    Math.ceil(m.ingestMs.base + m.ingestMs.perDynamoCall * calls);
  const ingestGbMs =
    (hellos * ingestMs(lane.dynamoCalls.hello) +
      reports * ingestMs(lane.dynamoCalls.report)) *
    m.ingestGb;

  return {
    iotConnectionMinutes: meter.connectionMinutes * perDevice,
    iotMessages:
      meter.iotMessages * perDevice + meter.groupPublishMessages * perFleet,
    iotShadowOperations: meter.shadowOperations * perDevice,
    iotRulesTriggered: meter.rulesTriggered * perDevice,
    iotRuleActions: meter.ruleActions * perDevice,
    lambdaRequests:
      (messages + meter.presenceEvents) * perDevice +
      meter.cyclesInvocations * perFleet +
      sweepRuns / m.fleetSize,
    lambdaGbSeconds:
      ((ingestGbMs + meter.presenceEvents * m.presence.ms * m.presence.gb) /
        1000) *
        perDevice +
      ((meter.cyclesInvocations * Math.ceil(cyclesMs) * m.cyclesGb) / 1000) *
        perFleet +
      (sweepRuns * m.sweep.msPerDevice * m.sweep.gb) / 1000,
    sqsRequests:
      messages * (1 + m.sqsPerInvocation) * perDevice +
      m.sqsIdlePollsPerMonth / m.fleetSize,
    dynamoWriteUnits:
      (hellos * lane.writeUnits.hello +
        reports * lane.writeUnits.report +
        meter.presenceEvents * m.presence.writeUnits) *
      perDevice,
    dynamoReadUnits:
      (hellos * lane.readUnits.hello + reports * lane.readUnits.report) *
        perDevice +
      sweepRuns * m.sweep.readUnitsPerDevice,
    dynamoStorageGb: storageGb(c, reports),
    schedulerInvocations: meter.schedulerInvocations * perFleet,
  };
}

/** REPORT items for the retention period plus the device's other items. */
function storageGb(c: FleetCounts, reports: number) {
  const m = costModel;
  const reportsPerDay = reports / (c.days * c.devices);
  const itemBytes =
    c.meter.reportBytes / Math.max(1, reports) + m.itemOverheadBytes;
  const bytes =
    reportsPerDay * m.reportRetentionDays * itemBytes + m.deviceItemsBytes;
  return bytes / 1e9;
}

function roundAll<T extends object>(values: T, digits: number): T {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [
      k,
      typeof v === 'number' ? round(v, digits) : v,
    ]),
  ) as T;
}

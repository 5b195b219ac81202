import type { AgentLogger } from '../../agent/logger.js';
import { buildHello } from '../../agent/messages/hello.js';
import {
  createCycleRun,
  receiptOf,
  runnableCycles,
} from '../../agent/scheduler/run-cycle.js';
import {
  createScheduler,
  type Scheduler,
} from '../../agent/scheduler/scheduler.js';
import {
  type SchedulePolicy,
  type SchedulerTuning,
  schedulerDefaults,
} from '../../agent/scheduler/types.js';
import { MemoryOutbox } from '../../agent/transport/outbox.js';
import { type CheckKind, CYCLES, deviceTopic } from '../../core/index.js';
import { DeviceTimers } from './device-timers.js';
import type { EventLoop } from './event-loop.js';
import { MemoryCycleStore } from './memory-stores.js';
import type { Meter } from './meter.js';
import type { DevicePlan, Session, Span } from './profiles.js';
import type { Rng } from './rng.js';
import { SIM_CHECKS, simulatedReport } from './sim-checks.js';
import type { IotDevice, SimIot } from './sim-iot.js';

/**
 * One simulated laptop: the agent's real scheduler, cycle runner, report
 * builder and outbox on a virtual clock, driven through its plan:
 *
 *   off --boot--> awake --lid--> asleep --lid--> awake --shutdown--> off
 *                  | Wi-Fi drops and returns; battery on and off
 *                  +-- power loss --> off (no DISCONNECT, no stop)
 *
 * A boot starts a new agent process (a new scheduler over the kept state
 * and outbox); sleep stops its timers, which resume late on wake so the
 * scheduler detects the wake itself. The MQTT session is simulated: on
 * every connect the hello, then the outbox oldest first, then the policy
 * shadow get; a PUBACK lost now and then makes the device send that
 * message again on the next connection.
 */
export interface SimDeviceOptions {
  thingName: string;
  group: string;
  policy: SchedulePolicy;
  plan: DevicePlan;
  loop: EventLoop;
  iot: SimIot;
  meter: Meter;
  rng: Rng;
  tuning: Partial<SchedulerTuning>;
  /** A message published by the device reaches the cloud. */
  publish: (topic: string, payload: string, at: number) => Promise<void>;
  /** Chance that a PUBACK is lost with the connection. @default 0.002 */
  pubackLoss?: number;
}

const silent: AgentLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

type Power = 'off' | 'asleep' | 'awake';

export class SimDevice implements IotDevice {
  readonly thingName: string;
  readonly group: string;
  /** Device-side connected spans, for the coverage measure. */
  readonly connectedSpans: Span[] = [];
  readonly #o: SimDeviceOptions;
  readonly #store: MemoryCycleStore;
  readonly #outbox = new MemoryOutbox();
  #timers: DeviceTimers | undefined;
  #scheduler: Scheduler | undefined;
  #power: Power = 'off';
  #netUp = true;
  #battery = false;
  #connection = 0;
  #connectedSince: number | undefined;
  #reconnect: { cancel(): void } | undefined;

  constructor(options: SimDeviceOptions) {
    this.#o = options;
    this.thingName = options.thingName;
    this.group = options.group;
    const kept = options.tuning.acceptedKept ?? schedulerDefaults.acceptedKept;
    this.#store = new MemoryCycleStore(kept);
    options.iot.register(this);
    for (const session of options.plan.sessions) this.#planSession(session);
  }

  isConnected() {
    return this.#connectedSince !== undefined;
  }

  /** The agent's stored last completion of a cycle kind. */
  completed(kind: string) {
    return this.#store.completed(kind);
  }

  async receiveCycle(payload: string) {
    await this.#scheduler?.receive(payload);
    await this.#settle();
  }

  /** Ends the run: the last connected span is closed at `at`. */
  finish(at: number) {
    if (this.#connectedSince !== undefined) {
      this.connectedSpans.push({ from: this.#connectedSince, to: at });
    }
    this.#timers?.clear();
  }

  #planSession(session: Session) {
    const { loop } = this.#o;
    loop.at(session.from, () => this.#begin());
    for (const outage of session.outages) {
      loop.at(outage.from, () => this.#network(false));
      loop.at(outage.to, () => this.#network(true));
    }
    for (const span of session.battery) {
      loop.at(span.from, () => {
        this.#battery = true;
      });
      loop.at(span.to, () => {
        this.#battery = false;
      });
    }
    loop.at(session.to, () => this.#end(session.end));
  }

  async #begin() {
    if (this.#power === 'awake') return;
    if (this.#power === 'off') {
      this.#boot();
    } else {
      this.#timers?.wake();
    }
    this.#power = 'awake';
    await this.#settle();
    this.#scheduleConnect(this.#o.rng.between(3_000, 20_000));
  }

  #boot() {
    const { loop, tuning } = this.#o;
    const timers = new DeviceTimers(loop);
    timers.onFired = () => this.#settle();
    const now = () => new Date(loop.now);
    this.#timers = timers;
    this.#scheduler = createScheduler({
      cycles: runnableCycles(CYCLES, SIM_CHECKS),
      policy: this.#o.policy,
      thingName: this.thingName,
      now,
      store: this.#store,
      run: createCycleRun({
        checks: {
          kinds: () => [...SIM_CHECKS],
          run: (c, t, id) => this.#check(c, t, id),
        },
        hasReceipt: (receipt) => this.#outbox.hasReceipt(receipt),
        now,
        logger: silent,
        shareWithinMs: tuning.shareCheckWithinMs,
      }),
      logger: silent,
      timers,
      conditions: async () => ({ onBattery: this.#battery }),
      tuning,
    });
    this.#scheduler.start();
  }

  async #check(
    check: CheckKind,
    trigger: 'schedule' | 'catch-up',
    cycleId: string,
  ) {
    const { loop, meter, rng } = this.#o;
    const report = simulatedReport(
      {
        thingName: this.thingName,
        check,
        trigger,
        cycleId,
        now: new Date(loop.now),
      },
      rng,
    );
    const payload = JSON.stringify(report);
    meter.reportProduced(this.thingName, cycleId, check);
    meter.reportBytes += payload.length;
    await this.#outbox.add({
      topic: deviceTopic(this.thingName, 'reports'),
      payload,
      receipt: receiptOf(cycleId, check),
      routine: true,
    });
  }

  async #end(mode: Session['end']) {
    if (this.#power !== 'awake') return;
    this.#reconnect?.cancel();
    if (mode === 'sleep') {
      this.#drop(false);
      this.#timers?.sleep();
      this.#power = 'asleep';
      return;
    }
    if (mode === 'shutdown') {
      // The service stops: the run in progress ends, then DISCONNECT.
      await this.#scheduler?.stop();
      await this.#flush();
      this.#drop(true);
    } else {
      this.#drop(false);
    }
    this.#timers?.clear();
    this.#timers = undefined;
    this.#scheduler = undefined;
    this.#power = 'off';
  }

  async #network(up: boolean) {
    this.#netUp = up;
    if (!up) {
      this.#reconnect?.cancel();
      this.#drop(false);
      return;
    }
    if (this.#power === 'awake') {
      this.#scheduleConnect(this.#o.rng.between(1_000, 15_000));
    }
  }

  #scheduleConnect(delayMs: number) {
    this.#reconnect?.cancel();
    this.#reconnect = this.#o.loop.after(delayMs, () => this.#connect());
  }

  async #connect() {
    this.#reconnect = undefined;
    if (this.#power !== 'awake' || !this.#netUp || this.isConnected()) return;
    const { iot, loop } = this.#o;
    this.#connection++;
    this.#connectedSince = loop.now;
    const waiting = iot.connect(this.thingName);

    await this.#publish(this.#hello());
    await this.#flush();
    // The policy shadow: one get and its answer, one shadow operation.
    this.#o.meter.shadowOperations++;
    for (const payload of waiting) {
      iot.delivered(`upkeep/v1/groups/${this.group}/cycles`, payload);
      await this.#scheduler?.receive(payload);
    }
    this.#scheduler?.connected();
    await this.#settle();
  }

  #hello() {
    const hello = buildHello({
      thingName: this.thingName,
      now: new Date(this.#o.loop.now),
      platform: 'win32',
      capabilities: [...SIM_CHECKS],
      securityProducts: [
        { name: 'Microsoft Defender Antivirus', kind: 'antivirus' },
      ],
      policyVersion: 1,
      lastRuns: this.#store.lastRuns(),
    });
    return {
      topic: deviceTopic(this.thingName, 'hello'),
      payload: JSON.stringify(hello),
    };
  }

  /** Lets the agent finish what it started, then sends what it queued. */
  async #settle() {
    await this.#scheduler?.idle();
    await this.#flush();
  }

  async #flush() {
    while (this.isConnected()) {
      const entry = this.#outbox.unsent()[0];
      if (!entry) return;
      entry.sentOn = this.#connection;
      await this.#publish(entry);
      if (this.#o.rng.chance(this.#o.pubackLoss ?? 0.002)) {
        // The link died before the PUBACK: the broker has the message,
        // the device does not know it and sends it again later.
        this.#o.meter.redelivered++;
        this.#drop(false);
        this.#scheduleConnect(this.#o.rng.between(1_000, 10_000));
        return;
      }
      this.#outbox.acknowledge(entry);
    }
  }

  async #publish(message: { topic: string; payload: string }) {
    this.#o.iot.deviceMessage(message.topic, message.payload);
    await this.#o.publish(message.topic, message.payload, this.#o.loop.now);
  }

  #drop(clean: boolean) {
    if (this.#connectedSince === undefined) return;
    this.connectedSpans.push({
      from: this.#connectedSince,
      to: this.#o.loop.now,
    });
    this.#connectedSince = undefined;
    this.#outbox.requeue(this.#connection);
    this.#o.iot.gone(this.thingName, clean);
  }
}

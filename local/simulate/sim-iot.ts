import type { EventLoop } from './event-loop.js';
import type { Meter } from './meter.js';

/**
 * The broker's side of the simulated fleet, shaped by AWS IoT Core:
 *
 * - a device that goes to sleep or loses its network is still connected
 *   for the broker until 1.5 keep-alives (90 s) pass without a packet;
 *   billed minutes run until then, and a lifecycle event goes out;
 * - a clean shutdown sends DISCONNECT and ends the connection at once;
 * - a QoS 1 message for a device that is not there waits in its
 *   persistent session, delivered on reconnect, unless the session has
 *   been gone longer than its expiry (one hour, the IoT default);
 * - a group publish reaches every subscribed device.
 */
export const iotDefaults = {
  /** The agent's keep-alive is 60 s; IoT drops a silent client at 1.5x. */
  keepAliveDropMs: 90_000,
  /** Persistent session expiry, IoT Core's default. */
  sessionExpiryMs: 3_600_000,
};

export interface IotDevice {
  thingName: string;
  group: string;
  /** The device holds a live connection now (it can send and receive). */
  isConnected(): boolean;
  receiveCycle(payload: string): Promise<void>;
}

interface Session {
  device: IotDevice;
  /** When the broker's current connection began; undefined when none. */
  since?: number;
  /** When the broker last lost the device (for session expiry). */
  goneAt?: number;
  pendingDrop?: { cancel(): void };
  queue: string[];
}

export class SimIot {
  readonly #loop: EventLoop;
  readonly #meter: Meter;
  readonly #sessions = new Map<string, Session>();
  readonly #groups = new Map<string, IotDevice[]>();

  constructor(loop: EventLoop, meter: Meter) {
    this.#loop = loop;
    this.#meter = meter;
  }

  register(device: IotDevice) {
    this.#sessions.set(device.thingName, { device, queue: [] });
    const members = this.#groups.get(device.group) ?? [];
    members.push(device);
    this.#groups.set(device.group, members);
  }

  /**
   * A device connected: CONNECT and SUBSCRIBE are metered, a previous
   * connection the broker still held is taken over, waiting session
   * messages are handed over (the caller delivers them).
   */
  connect(thing: string): string[] {
    const session = this.#session(thing);
    const now = this.#loop.now;
    if (session.since !== undefined) this.#close(session, now);
    const expired =
      session.goneAt !== undefined &&
      now - session.goneAt > iotDefaults.sessionExpiryMs;
    if (expired) this.#meter.cycleMessagesDropped += session.queue.length;
    const waiting = session.queue.splice(0);

    session.since = now;
    session.goneAt = undefined;
    this.#meter.connected(now);
    this.#meter.message('CONNECT', 64);
    this.#meter.message('SUBSCRIBE', 120);
    this.#meter.presence();
    return expired ? [] : waiting;
  }

  /** The device went away: clean (DISCONNECT) or silently. */
  gone(thing: string, clean: boolean) {
    const session = this.#session(thing);
    if (session.since === undefined) return;
    const now = this.#loop.now;
    if (clean) {
      this.#close(session, now);
      return;
    }
    session.pendingDrop?.cancel();
    session.pendingDrop = this.#loop.after(iotDefaults.keepAliveDropMs, () => {
      session.pendingDrop = undefined;
      this.#close(session, this.#loop.now);
    });
  }

  /** A message the device published (already metered by the caller). */
  deviceMessage(topic: string, payload: string) {
    this.#meter.message(topic, Buffer.byteLength(payload));
  }

  /**
   * A data-plane Publish to a group topic: one metered HTTP request, then
   * a delivery to each member that is connected, or a place in its
   * session's queue while the session lasts.
   */
  async publishGroup(topic: string, payload: string) {
    const group = /^upkeep\/v1\/groups\/([^/]+)\/cycles$/.exec(topic)?.[1];
    this.#meter.groupPublish(topic, Buffer.byteLength(payload));
    for (const device of this.#groups.get(group ?? '') ?? []) {
      await this.#deliver(device, topic, payload);
    }
  }

  async #deliver(device: IotDevice, topic: string, payload: string) {
    const session = this.#session(device.thingName);
    if (device.isConnected()) {
      this.#meter.message(topic, Buffer.byteLength(payload));
      this.#meter.deviceAck();
      this.#meter.cycleMessagesDelivered++;
      await device.receiveCycle(payload);
      return;
    }
    const lost =
      session.since === undefined &&
      (session.goneAt === undefined ||
        this.#loop.now - session.goneAt > iotDefaults.sessionExpiryMs);
    if (lost) {
      this.#meter.cycleMessagesDropped++;
      return;
    }
    session.queue.push(payload);
  }

  /** Metering of a session message handed over on reconnect. */
  delivered(topic: string, payload: string) {
    this.#meter.message(topic, Buffer.byteLength(payload));
    this.#meter.deviceAck();
    this.#meter.cycleMessagesDelivered++;
  }

  /** Closes what the broker still holds at the end of the run. */
  closeAll(at: number) {
    for (const session of this.#sessions.values()) {
      session.pendingDrop?.cancel();
      if (session.since !== undefined) this.#close(session, at);
    }
  }

  #close(session: Session, at: number) {
    if (session.since === undefined) return;
    session.pendingDrop?.cancel();
    session.pendingDrop = undefined;
    this.#meter.disconnected(session.since, at);
    this.#meter.presence();
    session.since = undefined;
    session.goneAt = at;
  }

  #session(thing: string): Session {
    const session = this.#sessions.get(thing);
    if (!session) throw new Error(`unknown simulated device ${thing}`);
    return session;
  }
}

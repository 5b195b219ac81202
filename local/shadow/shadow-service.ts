import { EventEmitter } from 'node:events';
import type { LocalBroker } from '../broker/broker.js';
import {
  applyUpdate,
  type JsonObject,
  parseGetRequest,
  parseUpdateRequest,
  ShadowRequestError,
} from './shadow-document.js';
import {
  type Answer,
  getAccepted,
  rejected,
  updateAnswers,
} from './shadow-responses.js';
import type { ShadowStore } from './shadow-store.js';

/**
 * The named shadows of the local stack, in place of the AWS IoT Device
 * Shadow service. Devices use the MQTT topics
 *
 *   $aws/things/{thing}/shadow/name/{name}/get     → get/accepted|rejected
 *   $aws/things/{thing}/shadow/name/{name}/update  → update/accepted|
 *                                                    rejected, update/delta,
 *                                                    update/documents
 *
 * and the cloud the same operations over HTTP (data-plane.ts), which
 * publish the same answers, as IoT does. Requests to one shadow are
 * handled one at a time, in arrival order. The broker's device policy
 * decides who may publish what; this service trusts the topic.
 *
 * Known limitation: delete, the classic (unnamed) shadow and persistent
 * sessions' shadow-specific quotas are not served; nothing here uses them.
 */
export interface ShadowServiceOptions {
  broker: Pick<LocalBroker, 'subscribeInternal' | 'publish'>;
  store: ShadowStore;
  /** ms since the epoch. @default Date.now */
  now?: () => number;
}

export interface ShadowService {
  /** `error` ({topic, error}) when an answer could not be published. */
  events: EventEmitter;
  /** GetThingShadow: the get/accepted document; ShadowRequestError 404. */
  get(thing: string, name: string): Promise<JsonObject>;
  /** UpdateThingShadow: the update/accepted document, answers published. */
  update(thing: string, name: string, payload: string): Promise<JsonObject>;
  close(): Promise<void>;
}

const REQUEST = /^\$aws\/things\/([^/]+)\/shadow\/name\/([^/]+)\/(get|update)$/;

export async function startShadowService(
  options: ShadowServiceOptions,
): Promise<ShadowService> {
  const service = new LocalShadows(options);
  const stops = await Promise.all(
    ['get', 'update'].map((op) =>
      options.broker.subscribeInternal(
        `$aws/things/+/shadow/name/+/${op}`,
        (message) => service.onMessage(message.topic, String(message.payload)),
      ),
    ),
  );
  return {
    events: service.events,
    get: (thing, name) =>
      service.run(thing, name, () => service.get(thing, name)),
    update: (thing, name, payload) =>
      service.run(thing, name, () => service.update(thing, name, payload)),
    close: async () => {
      await Promise.all(stops.map((stop) => stop()));
      await service.idle();
      await options.store.flushed();
    },
  };
}

class LocalShadows {
  readonly events = new EventEmitter();
  readonly #o: ShadowServiceOptions;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(options: ShadowServiceOptions) {
    this.#o = options;
  }

  onMessage(topic: string, payload: string) {
    const match = REQUEST.exec(topic);
    if (!match) return;
    const [, thing = '', name = '', op] = match;
    const work = async () => {
      if (op === 'get') return this.#mqttGet(thing, name, payload);
      // The device hears of a refusal on update/rejected.
      await this.update(thing, name, payload).catch(() => undefined);
    };
    void this.run(thing, name, work);
  }

  /** Runs `work` after every earlier request to the same shadow. */
  run<T>(thing: string, name: string, work: () => Promise<T>): Promise<T> {
    const key = `${thing}/${name}`;
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.#queues.set(key, settled);
    void settled.then(() => {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    });
    return next;
  }

  async idle() {
    await Promise.all(this.#queues.values());
  }

  async get(thing: string, name: string): Promise<JsonObject> {
    const shadow = this.#o.store.get(thing, name);
    if (!shadow) {
      throw new ShadowRequestError(
        404,
        `No shadow exists with name: '${name}'`,
      );
    }
    return getAccepted(shadow, this.#seconds());
  }

  async #mqttGet(thing: string, name: string, payload: string) {
    const timestamp = this.#seconds();
    let token: string | undefined;
    try {
      token = parseGetRequest(payload).clientToken;
      const body = await this.get(thing, name);
      await this.#answer(thing, name, [
        { suffix: 'get/accepted', body: withToken(body, token) },
      ]);
    } catch (error) {
      await this.#reject(thing, name, 'get', error, timestamp, token);
    }
  }

  async update(thing: string, name: string, payload: string) {
    const timestamp = this.#seconds();
    let token: string | undefined;
    try {
      const request = parseUpdateRequest(payload);
      token = request.clientToken;
      const before = this.#o.store.get(thing, name);
      const after = applyUpdate(before, request, timestamp);
      await this.#o.store.set(thing, name, after);

      const answers = updateAnswers(before, after, request, timestamp);
      await this.#answer(thing, name, answers);
      return answers[0]?.body as JsonObject;
    } catch (error) {
      await this.#reject(thing, name, 'update', error, timestamp, token);
      throw error;
    }
  }

  async #reject(
    thing: string,
    name: string,
    op: 'get' | 'update',
    error: unknown,
    timestamp: number,
    token: string | undefined,
  ) {
    const known = error instanceof ShadowRequestError;
    const code = known ? error.code : 500;
    const message = known ? error.message : 'Internal service failure';
    await this.#answer(thing, name, [
      rejected(op, code, message, timestamp, token),
    ]);
  }

  async #answer(thing: string, name: string, answers: Answer[]) {
    for (const { suffix, body } of answers) {
      const topic = `$aws/things/${thing}/shadow/name/${name}/${suffix}`;
      try {
        await this.#o.broker.publish(topic, JSON.stringify(body));
      } catch (error) {
        this.events.emit('error', { topic, error });
      }
    }
  }

  #seconds() {
    return Math.floor((this.#o.now ?? Date.now)() / 1000);
  }
}

function withToken(body: JsonObject, clientToken: string | undefined) {
  return clientToken === undefined ? body : { ...body, clientToken };
}

import {
  IdempotencyConfig,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { CachePersistenceLayer } from '@aws-lambda-powertools/idempotency/cache';
import type { Report } from '../../core/index.js';
import { parseMessage } from '../../lambdas/ingest/parse-message.js';
import { createLambdaContext } from '../lambda-context.js';
import { MemoryCache } from './memory-stores.js';

/**
 * The ingest path every simulated message takes: the topic rule's
 * envelope, the ingest handler's own parser (schema, topic and device
 * checks) and Powertools idempotency keyed as the handler keys it
 * (`[thingName, report.reportId]`, prefix `ingest.report`), in front of a
 * store that keeps what the table would: one REPORT per report id. The
 * idempotency records live in an in-memory cache behind Powertools'
 * CachePersistenceLayer instead of DynamoDB, which at ~40 ms of CPU per
 * report here would take hours for a fleet; the calibration lane runs the
 * whole handler on dynalite for a few devices.
 */
export interface StoredReport {
  reportId: string;
  check: Report['check'];
  cycleId?: string;
  trigger: Report['trigger'];
  finishedAtMs: number;
  receivedAtMs: number;
}

interface StoreInput {
  thingName: string;
  clientId: string;
  receivedAtMs: number;
  report: Report;
}

export interface FleetLaneCounts {
  hellos: number;
  idempotentRepeats: number;
  storeDuplicates: number;
  rejected: number;
  reportsStored: number;
}

/** Mirrors lambdas/ingest/create-ingest-handler.ts. */
const IDEMPOTENCY_KEY_PATH = '[thingName, report.reportId]';
const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600;

export class FleetLane {
  /** Stored reports per device, in arrival order. */
  readonly reports = new Map<string, StoredReport[]>();
  hellos = 0;
  /** Repeats the idempotency layer answered without storing. */
  idempotentRepeats = 0;
  /** REPORT ids stored twice: must stay 0. */
  storeDuplicates = 0;
  rejected = 0;
  readonly #ids = new Set<string>();
  readonly #store: (input: StoreInput) => Promise<boolean>;
  readonly #config: IdempotencyConfig;
  #calls = 0;
  #stores = 0;

  constructor() {
    const config = new IdempotencyConfig({
      eventKeyJmesPath: IDEMPOTENCY_KEY_PATH,
      expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
      throwOnNoIdempotencyKey: true,
    });
    this.#config = config;
    this.#store = makeIdempotent(
      async (input: StoreInput) => this.#put(input),
      {
        persistenceStore: new CachePersistenceLayer({
          client: new MemoryCache(),
        }),
        config,
        keyPrefix: 'ingest.report',
      },
    );
  }

  /** One queue message body (a rule envelope), as ingest receives it. */
  async ingest(body: string, clientId: string) {
    let message: ReturnType<typeof parseMessage>;
    try {
      message = parseMessage(body);
    } catch {
      this.rejected++;
      return;
    }
    if (message.kind === 'hello') {
      this.hellos++;
      return;
    }
    this.#calls++;
    // As the handler does per invocation: in-progress records expire with
    // the invocation's remaining time.
    this.#config.registerLambdaContext(
      createLambdaContext({ functionName: 'upkeep-ingest' }),
    );
    await this.#store({
      thingName: message.thingName,
      clientId,
      receivedAtMs: message.receivedAtMs,
      report: message.report,
    });
    this.idempotentRepeats = this.#calls - this.#stores;
  }

  counts(): FleetLaneCounts {
    const reportsStored = [...this.reports.values()].reduce(
      (n, list) => n + list.length,
      0,
    );
    return {
      hellos: this.hellos,
      idempotentRepeats: this.idempotentRepeats,
      storeDuplicates: this.storeDuplicates,
      rejected: this.rejected,
      reportsStored,
    };
  }

  async #put(input: StoreInput): Promise<boolean> {
    this.#stores++;
    const { report, thingName } = input;
    const key = `${thingName}\n${report.reportId}`;
    if (this.#ids.has(key)) {
      this.storeDuplicates++;
      return false;
    }
    this.#ids.add(key);
    const list = this.reports.get(thingName) ?? [];
    list.push({
      reportId: report.reportId,
      check: report.check,
      cycleId: report.cycleId,
      trigger: report.trigger,
      finishedAtMs: Date.parse(report.finishedAt),
      receivedAtMs: input.receivedAtMs,
    });
    this.reports.set(thingName, list);
    return true;
  }
}

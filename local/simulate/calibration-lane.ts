import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { keys } from '../../core/table.js';
import { createIngestHandler } from '../../lambdas/ingest/create-ingest-handler.js';
import { type AwsClients, createClients } from '../../lambdas/lib/clients.js';
import { DeviceRegistry } from '../../lambdas/lib/device-registry.js';
import { type RunningDynalite, startDynalite } from '../dynamo/dynalite.js';
import { ensureTable } from '../dynamo/ensure-table.js';
import { createLambdaContext } from '../lambda-context.js';

/**
 * The whole ingest handler, as deployed, on dynalite, for a few devices of
 * the fleet: every message of those devices also goes here, one message
 * per invocation (what an SQS event source delivers at a fleet's trickle
 * of ~1 message/s). It measures what the table costs per message (request
 * units from ReturnConsumedCapacity, which dynalite computes) and the
 * handler's time, and its REPORT items are compared with the fleet lane's.
 *
 * dynalite does not count index writes; a write whose item carries gsi1
 * keys is counted one more write unit, as DynamoDB bills the index.
 */
export const TABLE_NAME = 'upkeep-sim';

export interface LaneFigures {
  messages: number;
  hellos: number;
  reports: number;
  writeUnits: { hello: number; report: number };
  readUnits: { hello: number; report: number };
  /** DynamoDB calls per message, one after another in the handler. */
  dynamoCalls: { hello: number; report: number };
  /**
   * Mean handler time per invocation here, ms. It shares one CPU with the
   * whole simulation, so it says little about Lambda; the cost model uses
   * the DynamoDB calls instead.
   */
  localHandlerMs: number;
  failures: number;
}

export class CalibrationLane {
  readonly clients: AwsClients;
  /** dynalite's endpoint, for other clients of the same table. */
  readonly endpoint: string;
  readonly #dynamo: RunningDynalite;
  readonly #handler: ReturnType<typeof createIngestHandler>;
  readonly #queue: { body: string; kind: 'hello' | 'report' }[] = [];
  #worker: Promise<void> | undefined;
  #units = { write: 0, read: 0, calls: 0 };
  readonly #totals = {
    hello: { n: 0, write: 0, read: 0, calls: 0 },
    report: { n: 0, write: 0, read: 0, calls: 0 },
  };
  #handlerMs = 0;
  #failures = 0;

  private constructor(dynamo: RunningDynalite, clients: AwsClients) {
    this.#dynamo = dynamo;
    this.clients = clients;
    this.endpoint = dynamo.endpoint;
    countCapacity(clients, (units) => {
      this.#units.write += units.write;
      this.#units.read += units.read;
      this.#units.calls++;
    });
    this.#handler = createIngestHandler({
      config: {
        tableName: TABLE_NAME,
        region: 'us-east-1',
        endpoints: {},
        serviceName: 'upkeep-ingest',
        logLevel: 'SILENT',
        deadLetterQueueUrl: 'http://127.0.0.1:9/000000000000/unused',
        reportRetentionDays: 90,
      },
      clients,
      logger: new Logger({ serviceName: 'upkeep-ingest', logLevel: 'SILENT' }),
    });
  }

  static async start(): Promise<CalibrationLane> {
    const dynamo = await startDynalite();
    const clients = createClients({
      region: 'us-east-1',
      endpoints: { dynamodb: dynamo.endpoint },
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await ensureTable(clients.dynamo, TABLE_NAME);
    return new CalibrationLane(dynamo, clients);
  }

  register(thingName: string, clientId: string) {
    return new DeviceRegistry(this.clients.doc, TABLE_NAME).register(
      thingName,
      clientId,
      Date.parse('2026-01-01T00:00:00Z'),
    );
  }

  enqueue(body: string, kind: 'hello' | 'report') {
    this.#queue.push({ body, kind });
    this.#worker ??= this.#work().finally(() => {
      this.#worker = undefined;
    });
  }

  /** Resolves once every queued message went through the handler. */
  async drained() {
    while (this.#worker) await this.#worker;
  }

  async #work() {
    for (;;) {
      const next = this.#queue.shift();
      if (!next) return;
      this.#units = { write: 0, read: 0, calls: 0 };
      const started = performance.now();
      const result = await this.#handler(
        sqsEvent(next.body),
        createLambdaContext({ functionName: 'upkeep-ingest' }),
      );
      this.#handlerMs += performance.now() - started;
      this.#failures += result.batchItemFailures.length;
      const total = this.#totals[next.kind];
      total.n++;
      total.write += this.#units.write;
      total.read += this.#units.read;
      total.calls += this.#units.calls;
    }
  }

  figures(): LaneFigures {
    const { hello, report } = this.#totals;
    const mean = (sum: number, n: number) => (n === 0 ? 0 : sum / n);
    const messages = hello.n + report.n;
    return {
      messages,
      hellos: hello.n,
      reports: report.n,
      writeUnits: {
        hello: mean(hello.write, hello.n),
        report: mean(report.write, report.n),
      },
      readUnits: {
        hello: mean(hello.read, hello.n),
        report: mean(report.read, report.n),
      },
      dynamoCalls: {
        hello: mean(hello.calls, hello.n),
        report: mean(report.calls, report.n),
      },
      localHandlerMs: mean(this.#handlerMs, messages),
      failures: this.#failures,
    };
  }

  /** The REPORT ids the table holds for a device. */
  async reportIds(thingName: string): Promise<string[]> {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.clients.doc.send(
        new QueryCommand({
          TableName: TABLE_NAME,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': keys.device(thingName),
            ':prefix': 'REPORT#',
          },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) ids.push(String(item.reportId));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return ids;
  }

  async close() {
    await this.drained();
    this.clients.dynamo.destroy();
    this.clients.sqs.destroy();
    await this.#dynamo.close();
  }
}

function sqsEvent(body: string): SQSEvent {
  const record: SQSRecord = {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDAIOT',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:upkeep-ingest',
    awsRegion: 'us-east-1',
  };
  return { Records: [record] };
}

/**
 * Adds ReturnConsumedCapacity to every DynamoDB call and reports the units
 * used: reads and writes as DynamoDB returns them, a failed conditional
 * write as one write unit (DynamoDB bills it), index writes as above.
 */
function countCapacity(
  clients: AwsClients,
  record: (units: { write: number; read: number }) => void,
) {
  clients.dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const isWrite = /Put|Update|Delete/.test(context.commandName ?? '');
      const indexed = isWrite && JSON.stringify(input).includes('gsi1');
      try {
        const out = await next(args);
        const consumed = (
          out.output as { ConsumedCapacity?: { CapacityUnits?: number } }
        ).ConsumedCapacity?.CapacityUnits;
        const units = (consumed ?? 0) + (indexed ? 1 : 0);
        record(isWrite ? { write: units, read: 0 } : { write: 0, read: units });
        return out;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          record({ write: 1, read: 0 });
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'simulateCountCapacity' },
  );
}

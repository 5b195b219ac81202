import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { keys } from '../../core/table.js';
import { applied, appliedInto } from './conditional.js';
import type { FindingItem } from './items.js';
import type {
  ClosedAttempt,
  EscalationItem,
  EscalationSummary,
  JobItem,
  RemedyAttempt,
  StoredPriority,
} from './remedy-items.js';

export interface FindingKey {
  pk: string;
  sk: string;
}

/**
 * The remedy loop's writes to FINDING, JOB and ESCALATION items. dynalite
 * has no transactions, so each state change is one conditional update whose
 * condition names the state it starts from, usually the job in flight
 * (`remedy.jobId`). Whoever changes the state first wins; a duplicate event
 * or a second decider finds the condition false and changes nothing:
 *
 *   open ──startRemedy──▶ remediating(job a1) ──nextAttempt──▶ (job a2)
 *     │                        │ recordJobStatus / recordRecheck: facts
 *     │                        └──escalate──▶ escalated
 *     └──escalate / suppress──▶ escalated / suppressed
 *   resolved (by ingest) + job a_n ──closeResolved──▶ resolved, history
 *
 * Each method resolves true when its write applied.
 */
export class FindingLifecycle {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #onEscalated: ((key: FindingKey) => Promise<unknown>) | undefined;
  /** Where `recordingInto` keeps each finding as its write left it. */
  #written: Map<string, FindingItem> | undefined;

  /**
   * `onEscalated` runs after an escalation is stored: the events module
   * sends the ticket's escalation from there and, for a Patch Doctor
   * chain that ran out, `patch.remediation-exhausted` (docs/events.md).
   */
  constructor(
    doc: DynamoDBDocumentClient,
    tableName: string,
    onEscalated?: (key: FindingKey) => Promise<unknown>,
  ) {
    this.#doc = doc;
    this.#table = tableName;
    this.#onEscalated = onEscalated;
  }

  /**
   * This lifecycle on the same table, noting in `written` (by sort key)
   * each finding as one of its writes left it. The write returns the item
   * (ALL_NEW), so the note costs no request: the remedy loop hands the
   * findings to the events after a report without reading them again.
   */
  recordingInto(written: Map<string, FindingItem>): FindingLifecycle {
    const recording = new FindingLifecycle(
      this.#doc,
      this.#table,
      this.#onEscalated,
    );
    recording.#written = written;
    return recording;
  }

  async get(key: FindingKey): Promise<FindingItem | undefined> {
    const { Item } = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: key,
        ConsistentRead: true,
      }),
    );
    return Item as FindingItem | undefined;
  }

  /** Every finding of one check on a device, whatever its state. */
  async ofCheck(thingName: string, check: string): Promise<FindingItem[]> {
    const items: FindingItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          FilterExpression: '#check = :check',
          ExpressionAttributeNames: { '#check': 'check' },
          ExpressionAttributeValues: {
            ':pk': keys.device(thingName),
            ':prefix': 'FINDING#',
            ':check': check,
          },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...((page.Items ?? []) as FindingItem[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async getJob(thingName: string, jobId: string) {
    const { Item } = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: keys.device(thingName), sk: keys.job(jobId) },
        ConsistentRead: true,
      }),
    );
    return Item as JobItem | undefined;
  }

  /** Written before CreateJob, so an event never finds its job unknown. */
  putJob(item: JobItem) {
    return this.#putOnce(item);
  }

  putEscalation(item: EscalationItem) {
    return this.#putOnce(item);
  }

  /**
   * open → remediating with the first job. A remedy left over from an
   * earlier occurrence (its end never heard) goes to the history.
   */
  startRemedy(
    key: FindingKey,
    remedy: RemedyAttempt,
    priority: StoredPriority,
    stale?: ClosedAttempt,
  ) {
    const staleCondition = stale
      ? 'remedy.jobId = :stale'
      : 'attribute_not_exists(remedy)';
    return this.#update(key, {
      UpdateExpression:
        'SET #status = :remediating, remedy = :remedy, priority = :priority, ' +
        'attempts = list_append(if_not_exists(attempts, :empty), :closed)',
      ConditionExpression: `#status = :open AND ${staleCondition}`,
      ExpressionAttributeValues: {
        ':remediating': 'remediating',
        ':open': 'open',
        ':remedy': remedy,
        ':priority': priority,
        ':empty': [],
        ':closed': stale ? [stale] : [],
        ...(stale ? { ':stale': stale.jobId } : {}),
      },
    });
  }

  /** The next job of the chain replaces the one that did not help. */
  nextAttempt(key: FindingKey, closed: ClosedAttempt, remedy: RemedyAttempt) {
    return this.#update(key, {
      UpdateExpression:
        'SET remedy = :remedy, ' +
        'attempts = list_append(if_not_exists(attempts, :empty), :closed)',
      ConditionExpression: '#status = :remediating AND remedy.jobId = :prev',
      ExpressionAttributeValues: {
        ':remediating': 'remediating',
        ':prev': closed.jobId,
        ':remedy': remedy,
        ':empty': [],
        ':closed': [closed],
      },
    });
  }

  /**
   * To a human, from `open` (alert, no remedy, a ticket first) or from
   * `remediating`. `closed` is the job that ended the chain, or a job left
   * over from the previous occurrence; it goes to the history.
   */
  async escalate(
    key: FindingKey,
    escalation: EscalationSummary,
    priority: StoredPriority,
    from: { status: 'open' | 'remediating'; closed?: ClosedAttempt },
  ) {
    const { closed } = from;
    const remedyCondition = closed
      ? 'remedy.jobId = :prev'
      : 'attribute_not_exists(remedy)';
    const done = await this.#update(key, {
      UpdateExpression:
        'SET #status = :escalated, escalation = :escalation, ' +
        'priority = :priority, ' +
        'attempts = list_append(if_not_exists(attempts, :empty), :closed) ' +
        'REMOVE remedy',
      ConditionExpression: `#status = :from AND ${remedyCondition}`,
      ExpressionAttributeValues: {
        ':escalated': 'escalated',
        ':escalation': escalation,
        ':priority': priority,
        ':from': from.status,
        ':empty': [],
        ':closed': closed ? [closed] : [],
        ...(closed ? { ':prev': closed.jobId } : {}),
      },
    });
    if (done) await this.#onEscalated?.(key);
    return done;
  }

  suppress(key: FindingKey) {
    return this.#update(key, {
      UpdateExpression: 'SET #status = :suppressed',
      ConditionExpression: '#status = :open',
      ExpressionAttributeValues: {
        ':suppressed': 'suppressed',
        ':open': 'open',
      },
    });
  }

  /** The job's final status, once; a repeated event finds it set. */
  recordJobStatus(
    key: FindingKey,
    jobId: string,
    fact: Pick<RemedyAttempt, 'jobStatus' | 'jobStatusAt' | 'statusDetails'>,
  ) {
    return this.#update(key, {
      UpdateExpression:
        'SET remedy.jobStatus = :status, remedy.jobStatusAt = :at, ' +
        'remedy.statusDetails = :details',
      ConditionExpression:
        'remedy.jobId = :job AND attribute_not_exists(remedy.jobStatus)',
      ExpressionAttributeValues: {
        ':job': jobId,
        ':status': fact.jobStatus,
        ':at': fact.jobStatusAt,
        ':details': fact.statusDetails ?? {},
      },
    });
  }

  /** What the re-check report showed, once. */
  recordRecheck(
    key: FindingKey,
    jobId: string,
    recheck: 'present' | 'gone',
    reportId: string,
  ) {
    return this.#update(key, {
      UpdateExpression:
        'SET remedy.recheck = :recheck, remedy.recheckReportId = :report',
      ConditionExpression:
        'remedy.jobId = :job AND attribute_not_exists(remedy.recheck)',
      ExpressionAttributeValues: {
        ':job': jobId,
        ':recheck': recheck,
        ':report': reportId,
      },
    });
  }

  /** A resolved finding's finished job goes to the history. */
  closeResolved(key: FindingKey, closed: ClosedAttempt) {
    return this.#update(key, {
      UpdateExpression:
        'SET attempts = list_append(if_not_exists(attempts, :empty), ' +
        ':closed) REMOVE remedy',
      ConditionExpression: '#status = :resolved AND remedy.jobId = :job',
      ExpressionAttributeValues: {
        ':resolved': 'resolved',
        ':job': closed.jobId,
        ':empty': [],
        ':closed': [closed],
      },
    });
  }

  async #update(
    key: FindingKey,
    input: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ) {
    const usesStatus = /#status/.test(
      input.UpdateExpression + input.ConditionExpression,
    );
    const written = this.#written;
    return appliedInto(
      this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: key,
          ...input,
          ...(usesStatus
            ? { ExpressionAttributeNames: { '#status': 'status' } }
            : {}),
          ...(written ? { ReturnValues: 'ALL_NEW' as const } : {}),
        }),
      ),
      written,
      key.sk,
    );
  }

  #putOnce(item: object) {
    return applied(
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }
}

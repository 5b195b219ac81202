import type { Volume } from '../../core/schemas/disk.js';
import type { Hello } from '../../core/schemas/hello.js';
import type { Report } from '../../core/schemas/report.js';
import { keys } from '../../core/table.js';
import { helloSummary, type VolumeSummary } from './items.js';

/**
 * One thing a message says about its device, as a piece of an UpdateItem on
 * the META item: the attributes it sets and the condition, naming each value
 * `:<attribute>`, that keeps an older message from overwriting a newer one.
 * Pure builders: no SDK, no clock.
 */
export interface MetaFact {
  attributes: Record<string, unknown>;
  condition: string;
}

/**
 * The broker receive time of the latest message. Equal times pass: the
 * same millisecond writes the same values, and a batch of messages of one
 * millisecond should not fall back to one request per fact.
 */
export function lastSeenFact(receivedAtMs: number): MetaFact {
  return {
    attributes: {
      lastSeenAt: new Date(receivedAtMs).toISOString(),
      lastSeenMs: receivedAtMs,
    },
    condition: 'attribute_not_exists(lastSeenMs) OR lastSeenMs <= :lastSeenMs',
  };
}

/**
 * The latest disk-space figures, kept on META so that a device listing
 * shows every volume without a read per device; ordered by the report's
 * finish time. Undefined for a report of another check.
 */
export function volumesFact(report: Report): MetaFact | undefined {
  if (report.check !== 'disk-space') return undefined;

  return {
    attributes: {
      volumes: report.data.volumes.map(volumeSummary),
      volumesAtMs: Date.parse(report.finishedAt),
    },
    condition:
      'attribute_not_exists(volumesAtMs) OR volumesAtMs < :volumesAtMs',
  };
}

/** The latest hello, ordered by broker receive time. */
export function helloFact(hello: Hello, receivedAtMs: number): MetaFact {
  return {
    attributes: { hello: helloSummary(hello), helloAtMs: receivedAtMs },
    condition: 'attribute_not_exists(helloAtMs) OR helloAtMs < :helloAtMs',
  };
}

/**
 * One UpdateItem input (without TableName) that records every fact, only
 * on a registered device and only if every fact is newer than the stored
 * one. When one is not, nothing changes and the caller records the facts
 * one by one.
 */
export function metaUpdate(thingName: string, facts: readonly MetaFact[]) {
  const attributes = factAttributes(facts);
  const names = Object.keys(attributes);
  const conditions = facts.map((fact) => `(${fact.condition})`);
  return {
    Key: { pk: keys.device(thingName), sk: keys.meta() },
    UpdateExpression: `SET ${names.map((n) => `${n} = :${n}`).join(', ')}`,
    ConditionExpression: ['attribute_exists(pk)', ...conditions].join(' AND '),
    ExpressionAttributeValues: Object.fromEntries(
      names.map((n) => [`:${n}`, attributes[n]]),
    ),
  };
}

/** Every fact's attributes in one record, as a new META item holds them. */
export function factAttributes(facts: readonly MetaFact[]) {
  return Object.assign({}, ...facts.map((f) => f.attributes)) as Record<
    string,
    unknown
  >;
}

function volumeSummary(volume: Volume): VolumeSummary {
  return {
    id: volume.id,
    mount: volume.mount ?? null,
    role: volume.role,
    totalBytes: volume.totalBytes,
    freeBytes: volume.freeBytes,
    availableBytes: volume.availableBytes,
  };
}

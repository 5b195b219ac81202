import type { Finding } from '../../core/schemas/finding.js';
import type { Hello } from '../../core/schemas/hello.js';
import type { Report } from '../../core/schemas/report.js';
import type { FindingStatus } from '../../core/scoring/lifecycle.js';
import type { DeviceRole } from '../../core/scoring/priority.js';
import { keys } from '../../core/table.js';

/**
 * The items the Lambdas keep in the single table (docs/data-model.md). Pure
 * builders: no SDK, no clock; the caller passes times in.
 */
export interface MetaItem {
  pk: string;
  sk: 'META';
  thingName: string;
  clientId: string;
  registeredAt: string;
  gsi1pk: string;
  gsi1sk: string;
  /** Broker receive time of the latest message (ISO and ms). */
  lastSeenAt?: string;
  lastSeenMs?: number;
  hello?: HelloSummary;
  /** Broker receive time of the stored hello, ms; orders hellos. */
  helloAtMs?: number;
  /** The latest disk-space figures, for device listings. */
  volumes?: VolumeSummary[];
  /** Finish time of the report the volumes came from, ms. */
  volumesAtMs?: number;
  /** What the device is for, set at enrolment; scoring weighs it. */
  role?: DeviceRole;
}

/** What a device listing shows of each volume. */
export interface VolumeSummary {
  id: string;
  mount: string | null;
  role: string;
  totalBytes: number;
  freeBytes: number;
  availableBytes: number;
}

/** What the META item keeps of the latest hello. */
export type HelloSummary = Omit<Hello, 'v' | 'deviceId'>;

export interface CheckItem {
  pk: string;
  sk: string;
  check: Report['check'];
  reportId: string;
  trigger: Report['trigger'];
  cycleId?: string;
  startedAt: string;
  finishedAt: string;
  /** finishedAt as ms: the "newer report wins" condition compares it. */
  finishedAtMs: number;
  verdict: Report['verdict'];
  data: Report['data'];
  findingCount: number;
  receivedAt: string;
}

export type { FindingStatus } from '../../core/scoring/lifecycle.js';

export interface FindingItem {
  pk: string;
  sk: string;
  thingName: string;
  clientId: string;
  check: Report['check'];
  code: string;
  subject: string;
  severity: Finding['severity'];
  title: string;
  hresult?: string;
  detail?: Record<string, unknown>;
  status: FindingStatus;
  firstSeenAt: string;
  lastSeenAt: string;
  /** Reports that saw this finding open. */
  occurrences: number;
  lastReportId: string;
  /** finishedAt (ms) of the report that set the status; orders updates. */
  stateAtMs: number;
  resolvedAt?: string;
  resolvedByReportId?: string;
  /** When this occurrence began (absent once resolved). */
  openedAt?: string;
  /** Times it was resolved; this occurrence is `resolutions + 1`. */
  resolutions?: number;
  /** The remedy job in flight (remedy-items.ts). */
  remedy?: RemedyAttempt;
  /** Every remedy job that ended, oldest first, across occurrences. */
  attempts?: ClosedAttempt[];
  priority?: StoredPriority;
  escalation?: EscalationSummary;
  /** Present until resolved: the client's open-findings index. */
  gsi1pk?: string;
  gsi1sk?: string;
}

import type {
  ClosedAttempt,
  EscalationSummary,
  RemedyAttempt,
  StoredPriority,
} from './remedy-items.js';

export interface ReportItem {
  pk: string;
  sk: string;
  reportId: string;
  thingName: string;
  clientId: string;
  check: Report['check'];
  trigger: Report['trigger'];
  cycleId?: string;
  startedAt: string;
  finishedAt: string;
  verdict: Report['verdict'];
  findings: Finding[];
  data: Report['data'];
  receivedAt: string;
  /** TTL, seconds since the epoch. */
  expiresAt: number;
}

export interface ClientItem {
  pk: string;
  sk: string;
  clientId: string;
  createdAt: string;
}

export function metaItem(
  thingName: string,
  clientId: string,
  registeredAt: string,
): MetaItem {
  return {
    pk: keys.device(thingName),
    sk: 'META',
    thingName,
    clientId,
    registeredAt,
    gsi1pk: keys.client(clientId),
    gsi1sk: keys.device(thingName),
  };
}

export function clientItem(clientId: string, createdAt: string): ClientItem {
  return {
    pk: keys.clients(),
    sk: keys.client(clientId),
    clientId,
    createdAt,
  };
}

export function helloSummary(hello: Hello): HelloSummary {
  const { v: _v, deviceId: _deviceId, ...summary } = hello;
  return summary;
}

export interface ReportContext {
  thingName: string;
  clientId: string;
  receivedAtMs: number;
}

export function reportItem(
  report: Report,
  context: ReportContext,
  expiresAt: number,
): ReportItem {
  return {
    pk: keys.device(context.thingName),
    sk: keys.report(report.reportId),
    reportId: report.reportId,
    thingName: context.thingName,
    clientId: context.clientId,
    check: report.check,
    trigger: report.trigger,
    cycleId: report.cycleId,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    verdict: report.verdict,
    findings: report.findings,
    data: report.data,
    receivedAt: new Date(context.receivedAtMs).toISOString(),
    expiresAt,
  };
}

export function checkItem(report: Report, context: ReportContext): CheckItem {
  return {
    pk: keys.device(context.thingName),
    sk: keys.check(report.check),
    check: report.check,
    reportId: report.reportId,
    trigger: report.trigger,
    cycleId: report.cycleId,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    finishedAtMs: Date.parse(report.finishedAt),
    verdict: report.verdict,
    data: report.data,
    findingCount: report.findings.length,
    receivedAt: new Date(context.receivedAtMs).toISOString(),
  };
}

/** The table key of a finding of `thingName`. */
export function findingKey(thingName: string, finding: Finding) {
  return {
    pk: keys.device(thingName),
    sk: keys.finding(finding.code, finding.subject),
  };
}

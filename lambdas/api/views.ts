import type { DeviceRecord } from '../lib/device-reader.js';
import type { CheckItem, FindingItem, MetaItem } from '../lib/items.js';

/**
 * The API's response bodies, built from table items. Table keys and
 * bookkeeping attributes (pk, gsi1*, stateAtMs) never leave the API; the
 * shapes are documented in docs/data-model.md.
 */
export function deviceSummary(meta: MetaItem) {
  return {
    deviceId: meta.thingName,
    clientId: meta.clientId,
    registeredAt: meta.registeredAt,
    lastSeenAt: meta.lastSeenAt ?? null,
    agentVersion: meta.hello?.agentVersion ?? null,
    platform: meta.hello?.os.platform ?? null,
    hostname: meta.hello?.os.hostname ?? null,
    volumes: meta.volumes ?? [],
  };
}

export function deviceDetail(record: DeviceRecord) {
  return {
    device: { ...deviceSummary(record.meta), hello: record.meta.hello ?? null },
    checks: record.checks
      .map(checkView)
      .sort((a, b) => a.check.localeCompare(b.check)),
    findings: record.findings.map(findingView).sort(bySeverityThenCode),
  };
}

function checkView(item: CheckItem) {
  return {
    check: item.check,
    reportId: item.reportId,
    verdict: item.verdict,
    trigger: item.trigger,
    cycleId: item.cycleId ?? null,
    startedAt: item.startedAt,
    finishedAt: item.finishedAt,
    receivedAt: item.receivedAt,
    findingCount: item.findingCount,
    data: item.data,
  };
}

function findingView(item: FindingItem) {
  return {
    code: item.code,
    subject: item.subject,
    check: item.check,
    severity: item.severity,
    title: item.title,
    status: item.status,
    hresult: item.hresult ?? null,
    detail: item.detail ?? null,
    firstSeenAt: item.firstSeenAt,
    lastSeenAt: item.lastSeenAt,
    occurrences: item.occurrences,
    lastReportId: item.lastReportId,
  };
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

function bySeverityThenCode(
  a: ReturnType<typeof findingView>,
  b: ReturnType<typeof findingView>,
) {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.code.localeCompare(b.code) ||
    a.subject.localeCompare(b.subject)
  );
}

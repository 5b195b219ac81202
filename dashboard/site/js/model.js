/**
 * What the page derives from the API's bodies. Pure: no DOM, no fetch; the
 * caller passes `nowMs` in.
 */

/** Verdicts from best to worst, as core/verdict.ts ranks them. */
export const VERDICTS = ['ok', 'info', 'unknown', 'warning', 'critical'];

/** The checks the agent runs, in the order the page shows them. */
export const CHECKS = [
  'antivirus',
  'spyware-scan',
  'patch-assessment',
  'disk-space',
  'smart',
  'cleanup',
];

/**
 * A device not heard from for this long counts as away even without a
 * presence event: the shortest routine cycle (AV definitions) is every
 * 4 hours, so 6 hours of silence means at least one missed cycle.
 */
export const SILENCE_MS = 6 * 3_600_000;

const rank = (verdict) => {
  const at = VERDICTS.indexOf(verdict);
  return at < 0 ? VERDICTS.indexOf('unknown') : at;
};

/** The worst verdict of a device's checks; `unknown` before any report. */
export function deviceVerdict(checks) {
  if (!checks || checks.length === 0) return 'unknown';
  return checks.reduce(
    (worst, c) => (rank(c.verdict) > rank(worst) ? c.verdict : worst),
    'ok',
  );
}

/**
 * Devices per client with a count per verdict, clients by name.
 * @param {{deviceId: string, clientId: string}[]} devices
 * @param {Map<string, {checks: {verdict: string}[]}>} details
 */
export function healthByClient(devices, details) {
  const clients = new Map();

  for (const device of devices) {
    const row = clients.get(device.clientId) ?? {
      clientId: device.clientId,
      devices: 0,
      verdicts: Object.fromEntries(VERDICTS.map((v) => [v, 0])),
    };
    const verdict = deviceVerdict(details.get(device.deviceId)?.checks);
    row.devices += 1;
    row.verdicts[verdict] += 1;
    clients.set(device.clientId, row);
  }
  return [...clients.values()].sort((a, b) =>
    a.clientId.localeCompare(b.clientId),
  );
}

/** What the API's presence words mean to a technician. */
const PRESENCE_REASONS = {
  'clean-shutdown': 'shut down',
  'connection-lost': 'connection lost',
  unknown: 'never connected',
};

/**
 * Whether and since when a device is away. The API says so itself
 * (`away`, `presence`, `presenceSince`, from the broker's lifecycle
 * events); without those fields, silence longer than SILENCE_MS since
 * `lastSeenAt` counts as away.
 */
export function awayStatus(device, nowMs) {
  const seenMs = Date.parse(device.lastSeenAt ?? device.registeredAt);
  if (typeof device.away === 'boolean') {
    const sinceMs = Date.parse(device.presenceSince ?? '');
    const from = Number.isFinite(sinceMs) ? sinceMs : seenMs;
    return {
      away: device.away,
      reason: PRESENCE_REASONS[device.presence] ?? device.presence,
      sinceMs: from,
      forMs: nowMs - from,
    };
  }
  const silentMs = nowMs - seenMs;
  if (!(silentMs > SILENCE_MS)) {
    return { away: false, sinceMs: seenMs, forMs: silentMs };
  }
  return { away: true, reason: 'silent', sinceMs: seenMs, forMs: silentMs };
}

/** Priority bands from most to least pressing (core/scoring/priority.ts). */
const BANDS = ['urgent', 'high', 'medium', 'low'];
const SEVERITIES = ['critical', 'warning', 'info'];

/**
 * Findings that need someone (not resolved, not suppressed), most
 * pressing first: by priority
 * score when the remedy loop has scored them, else by band, then severity,
 * then the longest open.
 */
export function byPriority(findings) {
  const bandRank = (f) => {
    const at = BANDS.indexOf(f.priority?.band);
    return at < 0 ? BANDS.length : at;
  };
  const score = (f) => f.priority?.score ?? -1;
  const severityRank = (f) => SEVERITIES.indexOf(f.severity);

  return findings
    .filter((f) => f.status !== 'resolved' && f.status !== 'suppressed')
    .sort(
      (a, b) =>
        score(b) - score(a) ||
        bandRank(a) - bandRank(b) ||
        severityRank(a) - severityRank(b) ||
        String(a.firstSeenAt).localeCompare(String(b.firstSeenAt)),
    );
}

/**
 * What was tried for a finding, oldest first: every remedy job (ended
 * ones with their outcome, the one in flight with its job status), then
 * the hand-over to a technician when the chain ran out.
 */
export function whatWasTried(finding) {
  const steps = (finding.attempts ?? []).map((a) => ({
    kind: a.outcome ? 'attempt' : 'in-flight',
    text: `${a.remedy} (attempt ${a.attempt}): ${
      a.outcome ?? a.jobStatus ?? 'running'
    }`,
    at: a.closedAt ?? a.issuedAt,
  }));
  if (finding.escalation) {
    const e = finding.escalation;
    const human = e.humanStep ? `; next: ${e.humanStep.remedy}` : '';
    steps.push({
      kind: 'escalation',
      text: `escalated: ${e.reason}${human}`,
      at: e.escalatedAt,
    });
  } else if (finding.status === 'escalated') {
    steps.push({ kind: 'escalation', text: 'escalated to a technician' });
  }
  return steps;
}

/**
 * Patch state of one device from its patch-assessment check: compliant
 * when no approved update is missing and no reboot is pending.
 */
export function patchState(check) {
  if (!check) return undefined;
  const data = check.data ?? {};
  const approvedMissing = Number(data.approved ?? 0);
  return {
    verdict: check.verdict,
    source: data.source ?? null,
    missing: Number(data.missing ?? 0),
    security: Number(data.security ?? 0),
    approvedMissing,
    rebootPending: data.rebootPending === true,
    failedInstalls: Number(data.failedInstalls ?? 0),
    assessedAt: check.finishedAt,
    compliant: approvedMissing === 0 && data.rebootPending !== true,
  };
}

/**
 * Every monitored volume of a device with its forecast: free is what a
 * user can write (`availableBytes`), as the disk-space judge counts it.
 */
export function volumeRows(device, diskCheck) {
  const volumes = diskCheck?.data?.volumes ?? device.volumes ?? [];
  const forecasts = new Map(
    (diskCheck?.data?.forecasts ?? []).map((f) => [f.id, f]),
  );
  return volumes.map((v) => ({
    id: v.id,
    mount: v.mount ?? v.id,
    totalBytes: v.totalBytes,
    availableBytes: v.availableBytes,
    freeBytes: v.freeBytes,
    freeRatio: v.totalBytes > 0 ? v.availableBytes / v.totalBytes : NaN,
    forecast: forecasts.get(v.id),
  }));
}

/** Each drive the SMART check saw, with its verdict and what smartctl said. */
export function driveRows(smartCheck) {
  const drives = smartCheck?.data?.drives ?? [];
  return drives.map((d) => ({
    name: d.name ?? d.drive,
    model: d.model ?? null,
    protocol: d.protocol ?? null,
    verdict: d.verdict ?? 'unknown',
    messages: Array.isArray(d.messages) ? d.messages : [],
  }));
}

/**
 * Patch compliance per client from each device's patch assessment: the
 * share of assessed devices with no approved update missing and no reboot
 * pending. Devices never assessed are counted apart, never as compliant.
 */
export function complianceByClient(devices, details) {
  const clients = new Map();

  for (const device of devices) {
    const row = clients.get(device.clientId) ?? {
      clientId: device.clientId,
      assessed: 0,
      compliant: 0,
      notAssessed: 0,
      approvedMissing: 0,
      failed: 0,
      pendingReboot: 0,
    };
    const checks = details.get(device.deviceId)?.checks ?? [];
    const state = patchState(
      checks.find((c) => c.check === 'patch-assessment'),
    );
    if (state) {
      row.assessed += 1;
      row.compliant += state.compliant ? 1 : 0;
      row.approvedMissing += state.approvedMissing;
      row.failed += state.failedInstalls;
      row.pendingReboot += state.rebootPending ? 1 : 0;
    } else {
      row.notAssessed += 1;
    }
    clients.set(device.clientId, row);
  }
  return [...clients.values()]
    .map(withRatio)
    .sort((a, b) => a.clientId.localeCompare(b.clientId));
}

/**
 * A client's row from the API's compliance body
 * (`GET /clients/{id}/patches/compliance`), in the shape of
 * complianceByClient's rows.
 */
export function complianceFromApi(body) {
  const summary = body.summary;
  return withRatio({
    clientId: summary.clientId,
    assessed: summary.devices - summary.neverAssessed,
    compliant: summary.compliant,
    notAssessed: summary.neverAssessed,
    approvedMissing: summary.missingApproved.total,
    /** Devices whose approved-missing figure is a lower bound. */
    partial: summary.partial ?? 0,
    failed: summary.failed,
    pendingReboot: summary.pendingReboot,
  });
}

function withRatio(row) {
  return {
    ...row,
    ratio: row.assessed > 0 ? row.compliant / row.assessed : Number.NaN,
  };
}

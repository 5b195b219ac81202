import { type Finding, verdictOf } from '../../../core/index.js';
import type { CheckResult } from '../types.js';
import type { PowerState, ScanOutcome, ScanType } from './types.js';
import type { VendorScanner } from './vendors.js';

/** When the scan was due and what it was, for every result. */
export interface ScanPlan {
  product: string;
  scanType: ScanType;
  weekday: string;
  timeZone: string;
  power: PowerState;
}

/** How the run ended; only `ran` has an outcome to judge. */
export type ScanRun =
  | { kind: 'ran'; outcome: ScanOutcome }
  | { kind: 'deferred' }
  | { kind: 'missing'; command: string; error: string }
  | { kind: 'unsupported'; vendor?: VendorScanner }
  | { kind: 'failed'; finding: Finding };

const MAX_THREATS = 5;
const MAX_PATH = 120;

const clip = (text: string) =>
  text.length <= MAX_PATH ? text : `…${text.slice(-(MAX_PATH - 1))}`;

/** Pure. A scan that did not run is `unknown`, never `ok`. */
export function judgeScan(plan: ScanPlan, run: ScanRun): CheckResult {
  const data = {
    product: plan.product,
    scanType: plan.scanType,
    weekday: plan.weekday,
    timeZone: plan.timeZone,
    onBattery: plan.power.onBattery,
    hasBattery: plan.power.hasBattery,
    ran: run.kind === 'ran',
  };
  if (run.kind === 'ran') {
    const findings = outcomeFindings(run.outcome);
    const base = run.outcome.completed ? 'ok' : 'unknown';
    return {
      verdict: verdictOf(findings, base),
      findings,
      data: { ...data, ...outcomeData(run.outcome) },
    };
  }
  const finding = notRunFinding(plan, run);
  const base = run.kind === 'deferred' ? 'ok' : 'unknown';
  return { verdict: verdictOf([finding], base), findings: [finding], data };
}

function outcomeData(o: ScanOutcome) {
  return {
    completed: o.completed,
    durationMs: o.durationMs,
    ...(o.scannedFiles === undefined ? {} : { scannedFiles: o.scannedFiles }),
    threatCount: o.threatCount,
    threats: o.threats.slice(0, MAX_THREATS).map(clipThreat),
  };
}

function clipThreat(t: ScanOutcome['threats'][number]) {
  return {
    ...t,
    name: t.name.slice(0, 100),
    ...(t.path ? { path: clip(t.path) } : {}),
  };
}

function outcomeFindings(o: ScanOutcome): Finding[] {
  const findings: Finding[] = [];
  if (o.threatCount > 0) {
    const open = o.threats.some((t) => t.remediated !== true);
    findings.push({
      code: 'spyware.threats-found',
      severity: open || o.threats.length === 0 ? 'critical' : 'warning',
      subject: clip(o.threats[0]?.path ?? o.product),
      title: `${o.product} ${o.scanType} scan found ${o.threatCount} threat(s)`,
      detail: {
        count: o.threatCount,
        threats: o.threats.slice(0, MAX_THREATS).map(clipThreat),
      },
    });
  }
  if (!o.completed) {
    findings.push({
      code: 'spyware.scan-failed',
      severity: 'warning',
      subject: o.product,
      title: `${o.product} ${o.scanType} scan did not complete`,
      detail: {
        command: o.command,
        exitCode: o.exitCode,
        errors: o.errors.slice(0, 3).map((e) => e.slice(0, 200)),
      },
    });
  }
  return findings;
}

function notRunFinding(
  plan: ScanPlan,
  run: Exclude<ScanRun, { kind: 'ran' }>,
): Finding {
  const subject = plan.product;
  // A gap, not a fault: at info the verdict stays `unknown` (which
  // outranks info), so a scan that did not run never reads as a warning
  // about the machine, nor as ok.
  if (run.kind === 'failed') return { ...run.finding, severity: 'info' };
  if (run.kind === 'deferred') {
    return {
      code: 'spyware.scan-deferred',
      severity: 'info',
      subject,
      title: 'Full scan deferred: the device runs on battery',
      detail: { power: plan.power },
    };
  }
  if (run.kind === 'missing') {
    return {
      code: 'spyware.scanner-missing',
      severity: 'info',
      subject,
      title: `No scanner for ${plan.product}: ${run.command} not found`,
      detail: { command: run.command, error: run.error.slice(0, 200) },
    };
  }
  return {
    code: 'spyware.product-unsupported',
    severity: 'info',
    subject,
    title: `${plan.product} scans are not driven by the agent`,
    detail: run.vendor
      ? { command: run.vendor.command, unknown: run.vendor.unknown }
      : { platform: 'no command-line scanner known' },
  };
}

import type { CommandResult } from '../../platform/command.js';
import type { ScanOutcome, ScanType, Threat } from './types.js';

/** Pseudo and removable file systems a full scan leaves out. */
const FULL_EXCLUDES = ['^/proc/', '^/sys/', '^/dev/', '^/run/', '^/snap/'];

/**
 * clamscan arguments. `--infected` keeps stdout to the FOUND lines and the
 * summary; the summary is kept (no `--no-summary`) because it is the only
 * place that says how many files were scanned. Quick scans the places
 * downloads and droppers land; full scans the root file system.
 *
 * Known limitation: a full scan also walks network shares mounted below /
 * (outside /run and /media); excluding them needs the mount table, which
 * the disk-space probe reads and could share.
 */
export function clamscanArgs(scanType: ScanType, targets: string[]): string[] {
  const base = ['--recursive', '--infected'];
  if (scanType === 'quick') return [...base, ...targets];
  return [
    ...base,
    ...FULL_EXCLUDES.map((e) => `--exclude-dir=${e}`),
    ...targets,
  ];
}

export interface ClamSummary {
  knownViruses?: number;
  engineVersion?: string;
  scannedFiles?: number;
  infectedFiles?: number;
  /** Seconds, from the `Time:` line. */
  seconds?: number;
}

/** Reads the SCAN SUMMARY block; undefined when there is none. */
export function parseClamSummary(stdout: string): ClamSummary | undefined {
  const at = stdout.indexOf('----------- SCAN SUMMARY -----------');
  if (at < 0) return undefined;

  const fields = new Map<string, string>();
  for (const line of stdout.slice(at).split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  const int = (key: string) => {
    const value = Number.parseInt(fields.get(key) ?? '', 10);
    return Number.isNaN(value) ? undefined : value;
  };
  const seconds = Number.parseFloat(fields.get('Time') ?? '');
  return {
    knownViruses: int('Known viruses'),
    engineVersion: fields.get('Engine version'),
    scannedFiles: int('Scanned files'),
    infectedFiles: int('Infected files'),
    ...(Number.isNaN(seconds) ? {} : { seconds }),
  };
}

/**
 * FOUND lines: `<path>: <signature> FOUND`. A path may itself hold ": ",
 * so the signature is the last `: `-separated part.
 */
export function parseFoundLines(stdout: string): Threat[] {
  const threats: Threat[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.endsWith(' FOUND')) continue;
    const body = line.slice(0, -' FOUND'.length);
    const at = body.lastIndexOf(': ');
    if (at < 0) continue;
    threats.push({ name: body.slice(at + 2), path: body.slice(0, at) });
  }
  return threats;
}

/** Error and warning lines of clamscan and libclamav. */
export function clamErrors(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(ERROR|WARNING|LibClamAV Error)/.test(l));
}

/**
 * Exit 0 clean, 1 infected, 2 error. With 2 the summary may still count
 * infections found before the error; they are kept, and the run counts
 * as incomplete.
 */
export function clamOutcome(
  result: CommandResult,
  scanType: ScanType,
  durationMs: number,
): ScanOutcome | undefined {
  const summary = parseClamSummary(result.stdout);
  if (!summary && result.exitCode !== 2) return undefined;

  const threats = parseFoundLines(result.stdout);
  return {
    product: 'clamav',
    scanType,
    completed: result.exitCode === 0 || result.exitCode === 1,
    threats,
    threatCount: Math.max(summary?.infectedFiles ?? 0, threats.length),
    ...(summary?.scannedFiles === undefined
      ? {}
      : { scannedFiles: summary.scannedFiles }),
    durationMs,
    errors: clamErrors(result.stderr),
    command: [result.command, ...result.args.slice(0, 4)].join(' '),
    exitCode: result.exitCode,
  };
}

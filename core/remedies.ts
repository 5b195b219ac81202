import * as z from 'zod';
import { CHECK_KINDS } from './checks.js';

/**
 * The allow-list of remedies a job document may name. The agent runs a job
 * only when its remedy is listed here, is implemented on its platform and
 * its `params` pass the remedy's schema; anything else is REJECTED and
 * nothing runs. The cloud sends only remedies implemented on the device's
 * platform and skips the others in a chain.
 *
 * Steps whose name ends in `-ticket` are not remedies: they are work for a
 * human, and the cloud turns them into an escalation, never a job.
 */

/** Node's `process.platform` values, as the hello names them. */
export const REMEDY_PLATFORMS = ['win32', 'linux', 'darwin'] as const;
export type RemedyPlatform = (typeof REMEDY_PLATFORMS)[number];

/** Antivirus products a signature update or scan may name. */
export const AV_PRODUCTS = [
  'defender',
  'sophos',
  'eset',
  'webroot',
  'bitdefender',
  'kaspersky',
  'trend-micro',
  'clamav',
  'xprotect',
] as const;
export type AvProduct = (typeof AV_PRODUCTS)[number];

const WIN = ['win32'] as const;
const WIN_LINUX = ['win32', 'linux'] as const;
const ALL = REMEDY_PLATFORMS;
const NONE = [] as const;

const none = z.object({}).strict();
/** A Windows service or systemd unit name, no paths or arguments. */
const serviceName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]*$/)
  .max(80);
/** A Debian package name (Debian Policy §5.6.1). */
const debianPackage = z
  .string()
  .regex(/^[a-z0-9][a-z0-9+.-]+$/)
  .max(100);
const kb = z.string().regex(/^KB[0-9]{6,8}$/);
/**
 * Updates one install-updates job carries; the planner sends more in the
 * next jobs of the wave (lambdas/patches/planner.ts).
 */
export const INSTALL_UPDATES_MAX = 50;
const bytes = z.number().int().min(0);

export interface RemedyDefinition {
  /** What the remedy does, in one line, for docs and job descriptions. */
  summary: string;
  /** The schema `params` must pass, on the cloud and on the agent. */
  params: z.ZodType<Record<string, unknown>>;
  /** Platforms with an implementation; empty means none yet. */
  platforms: readonly RemedyPlatform[];
  /**
   * Minutes a device may keep the execution IN_PROGRESS before IoT Jobs
   * times it out (`timeoutConfig.inProgressTimeoutInMinutes`, 1..10080).
   */
  timeoutMinutes: number;
}

const def = (
  summary: string,
  params: z.ZodType<Record<string, unknown>>,
  platforms: readonly RemedyPlatform[],
  timeoutMinutes = 30,
): RemedyDefinition => ({ summary, params, platforms, timeoutMinutes });

export const REMEDIES = {
  cleanup: def(
    'Delete old temp and cache files (not a dry run), then re-check',
    z
      .object({
        /** Only this mount point or drive, e.g. `C:` or `/`. */
        volume: z.string().min(1).max(256).optional(),
        /** Overrides the policy's cleanup.maxAgeDays. */
        maxAgeDays: z.number().int().min(1).max(365).optional(),
      })
      .strict(),
    ALL,
    60,
  ),
  'free-space-for-wu': def(
    'Clean up until the system volume has room for Windows Update',
    z.object({ minFreeBytes: bytes }).strict(),
    WIN,
    60,
  ),
  'update-av-signatures': def(
    "Ask the product's own updater for fresh signatures",
    z.object({ product: z.enum(AV_PRODUCTS) }).strict(),
    ALL,
  ),
  'update-defender-platform': def(
    'Update the Defender platform and engine (MpCmdRun -SignatureUpdate)',
    none,
    WIN,
  ),
  'enable-defender': def(
    'Turn Defender antivirus back on when no other product is active',
    none,
    WIN,
  ),
  'enable-realtime-protection': def(
    'Re-enable real-time protection of the product',
    z.object({ product: z.literal('defender') }).strict(),
    WIN,
  ),
  'run-quick-scan': def(
    'Start a quick scan with the product',
    z.object({ product: z.enum(['defender', 'clamav']) }).strict(),
    WIN_LINUX,
    120,
  ),
  'run-full-scan': def(
    'Start a full scan with the product',
    z.object({ product: z.enum(['defender', 'clamav']) }).strict(),
    WIN_LINUX,
    600,
  ),
  'start-service': def(
    'Start a service (or systemd unit) and set it to start again',
    z.object({ service: serviceName }).strict(),
    WIN_LINUX,
    10,
  ),
  'set-service-startup': def(
    'Set the start type of a service',
    z
      .object({
        service: serviceName,
        startup: z.enum(['automatic', 'manual', 'disabled']),
      })
      .strict(),
    WIN,
    10,
  ),
  'apt-install': def(
    'Install one Debian package with apt-get, non-interactive',
    z.object({ package: debianPackage }).strict(),
    ['linux'],
    60,
  ),
  'retry-update': def(
    'Search, download and install the failed update again, restart ' +
      'outside working hours and verify it in the update history',
    z.object({ kb: kb.optional() }).strict(),
    WIN,
    1440,
  ),
  'install-updates': def(
    'Install approved updates (Windows Update or apt), restart outside ' +
      'working hours and verify them',
    z
      .object({
        /** KB numbers (Windows) or Debian package names (apt). */
        updates: z
          .array(z.union([kb, debianPackage]))
          .min(1)
          .max(INSTALL_UPDATES_MAX),
        /** Past this instant the window was missed: install when idle. */
        windowEndsAt: z.iso.datetime({ offset: true }),
        /** The deployment wave, a month: `2026-03`. */
        wave: z
          .string()
          .regex(/^\d{4}-\d{2}$/)
          .optional(),
      })
      .strict(),
    WIN_LINUX,
    2880,
  ),
  'reset-wu-components': def(
    'Stop the update services, rename SoftwareDistribution and catroot2, ' +
      'start the services',
    none,
    WIN,
  ),
  'dism-restore-health': def(
    'Repair the component store with DISM /Online /Cleanup-Image ' +
      '/RestoreHealth',
    z
      .object({
        /** Where DISM takes good files from; Windows Update by default. */
        source: z.enum(['windows-update', 'matching-build-iso']).optional(),
      })
      .strict(),
    WIN,
    240,
  ),
  'sfc-scannow': def(
    'Verify and repair protected system files with sfc /scannow',
    none,
    WIN,
    120,
  ),
  'remove-staged-package': def(
    'Remove a staged, never-installed package that blocks servicing',
    z.object({ package: z.string().min(1).max(200).optional() }).strict(),
    WIN,
  ),
  'repair-task-cache': def(
    'Remove orphaned entries of the scheduled-task cache',
    none,
    WIN,
  ),
  'hide-update': def(
    'Hide an update that cannot apply to this device',
    z.object({ kb: kb.optional() }).strict(),
    WIN,
    10,
  ),
  'stop-update-retry': def(
    'Stop Windows Update retrying an update that keeps failing',
    z.object({ kb: kb.optional() }).strict(),
    WIN,
    10,
  ),
  'schedule-reboot': def(
    'Schedule a restart in the next maintenance window',
    z
      .object({ notBefore: z.iso.datetime({ offset: true }).optional() })
      .strict(),
    WIN_LINUX,
    10,
  ),
  'check-dns': def(
    'Resolve the update endpoints and report what the resolver says',
    none,
    WIN,
    10,
  ),
  'check-winhttp-proxy': def(
    'Read the WinHTTP proxy setting and report it',
    none,
    WIN,
    10,
  ),
  'check-wu-server-policy': def(
    'Read the WSUS server policy and test that the server answers',
    none,
    WIN,
    10,
  ),
  'check-system-partition-space': def(
    'Measure free space on the EFI and recovery partitions',
    none,
    WIN,
    10,
  ),
  'rerun-check': def(
    'Run a check again now and report it',
    z
      .object({
        /** Which check; the job's `recheck` when absent. */
        check: z.enum(CHECK_KINDS).optional(),
        /** Run as the system account rather than the agent's user. */
        as: z.literal('system').optional(),
      })
      .strict(),
    ALL,
    60,
  ),
  'retry-smart-device-type': def(
    'Probe the drive again through other smartctl device types',
    z
      .object({
        types: z
          .array(z.enum(['sat', 'sntasmedia', 'sntjmicron', 'sntrealtek']))
          .max(8)
          .optional(),
      })
      .strict(),
    ALL,
    10,
  ),
  'run-extended-self-test': def(
    'Start the drive extended self-test (smartctl -t long)',
    z.object({ device: z.string().min(1).max(128).optional() }).strict(),
    ALL,
    720,
  ),
  'store-smart-baseline': def(
    'Store the current SMART counters as the baseline',
    none,
    ALL,
    10,
  ),
  'backup-now': def("Start the client's backup tool now", none, NONE, 240),
  'verify-backup': def('Verify that the last backup completed', none, NONE, 60),
} as const satisfies Record<string, RemedyDefinition>;

export type RemedyName = keyof typeof REMEDIES;
export const REMEDY_NAMES = Object.keys(REMEDIES) as RemedyName[];

export function isRemedyName(name: string): name is RemedyName {
  return Object.hasOwn(REMEDIES, name);
}

/** A chain step for a human (a ticket), never sent to a device. */
export function isHumanStep(name: string): boolean {
  return name.endsWith('-ticket');
}

/** Whether the remedy exists and has an implementation on the platform. */
/**
 * Remedies that install software on the device. The cloud sends them only
 * when the effective policy allows it (`remediation.installSoftware`,
 * core/scoring/decide.ts): a new program on a client's laptop is a change
 * the MSP approves.
 */
export const SOFTWARE_INSTALL_REMEDIES: ReadonlySet<string> = new Set([
  'apt-install',
]);

export function remedyRunsOn(name: string, platform: string): boolean {
  if (!isRemedyName(name)) return false;
  return (REMEDIES[name].platforms as readonly string[]).includes(platform);
}

export type RemedyCheck =
  | { ok: true; params: Record<string, unknown> }
  | { ok: false; code: 'unknown-remedy' | 'bad-params'; reason: string };

/**
 * The allow-list check both sides run: the name must be listed and the
 * params must pass its schema. The reason fits `statusDetails` (≤ 1024).
 */
export function checkRemedy(name: string, params: unknown): RemedyCheck {
  if (!isRemedyName(name)) {
    return {
      ok: false,
      code: 'unknown-remedy',
      reason: `remedy ${name.slice(0, 64)} is not on the allow-list`,
    };
  }

  const parsed = REMEDIES[name].params.safeParse(params);
  if (parsed.success) return { ok: true, params: parsed.data };

  const reason = `params of ${name} are invalid: ${z.prettifyError(parsed.error)}`;
  return { ok: false, code: 'bad-params', reason: reason.slice(0, 1000) };
}

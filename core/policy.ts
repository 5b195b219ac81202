import type { CycleKind } from './cycles.js';
import type { MaintenanceWindow } from './schedule/maintenance-window.js';

/**
 * The maintenance policy a device runs with. For now the MSP defaults; the
 * inheritance chain (MSP → client → site → device) grows in issue 5.
 */
export interface DiskPolicy {
  /** Minimum free bytes on every monitored volume. @default 200 MB */
  floorBytes: number;
  /** Minimum free percent on data and system volumes. @default 10 */
  minFreePercent: number;
  /** Minimum free percent of inodes where the file system has them. @default 5 */
  minFreeInodesPercent: number;
  /** Free bytes the recovery partition needs for WinRE updates. @default 250 MB */
  recoveryFloorBytes: number;
  /**
   * A volume forecast to reach its floor within this many days is a
   * finding (`disk.full-forecast`). Absent in policies written before it
   * existed. @default 14
   */
  forecastHorizonDays?: number;
}

/** Temp and cache cleanup (issue 3 item 2). */
export interface CleanupPolicy {
  /** Files modified or read within this many days are kept. @default 7 */
  maxAgeDays: number;
  /** List what would go without deleting anything. @default true */
  dryRun: boolean;
  /** Disk images (`*.iso`) may be deleted from the roots. @default false */
  allowIso: boolean;
  /** Root categories to clean; an empty list means all. @default [] */
  categories: string[];
}

/** Which missing updates count and when they become critical. */
export interface PatchPolicy {
  /** Every security update, or only the whitelist. @default all-security */
  mode: 'all-security' | 'whitelist';
  /** KB numbers or package names approved in whitelist mode. @default [] */
  whitelist: string[];
  /** This many missing security updates or more are critical. @default 10 */
  criticalCount: number;
  /**
   * A security update released this many days ago and still missing is
   * critical. @default 30
   */
  criticalAgeDays: number;
  /** Package lists older than this make the result incomplete. @default 7 */
  maxListAgeDays: number;
  /**
   * all-security mode: Windows classifications approved, compared without
   * case. @default ['Security Updates', 'Critical Updates']
   */
  classifications?: string[];
  /**
   * all-security mode: MSRC severities approved; an update Microsoft does
   * not rate passes on its classification alone.
   * @default ['Critical', 'Important', 'Moderate', 'Low']
   */
  severities?: string[];
  /** all-security mode: days after release before it installs. @default 0 */
  deferDays?: number;
  /** KBs or packages never installed, whatever approves them. @default [] */
  blocklist?: string[];
  /** The deployment ring of a device: `pilot` goes first. @default broad */
  ring?: 'pilot' | 'broad';
  /** Ring rollout (docs/patch-doctor.md). */
  rollout?: PatchRolloutPolicy;
  /** When an update that needs a restart may restart the device. */
  reboot?: RebootPolicy;
}

/** How a deployment moves from the pilot ring to the rest. */
export interface PatchRolloutPolicy {
  /** Days the pilot ring runs before the rest. @default 3 */
  pilotDays: number;
  /**
   * Failed, timed-out or rejected pilot executions, percent of those that
   * ended, at or above which the rest never get it. @default 20
   */
  maxFailurePercent: number;
  /** IoT Jobs rollout: executions started per minute. @default 50 */
  maxPerMinute: number;
}

/** Restarts after updates: outside working hours, deferrable. */
export interface RebootPolicy {
  /** Working hours in the device's zone, `HH:MM`. @default 08:00-18:00 */
  workStart: string;
  workEnd: string;
  /** ISO weekdays (1 Monday .. 7 Sunday) with working hours. @default 1-5 */
  workDays: number[];
  /** Restarts the user may put off. @default 3 */
  maxDeferrals: number;
  /** How long one deferral puts the restart off, minutes. @default 240 */
  deferMinutes: number;
}

/** Which anti-spyware product scans, and how long a scan may take. */
export interface SpywarePolicy {
  /** `auto` picks Defender on Windows and ClamAV elsewhere. @default auto */
  product: string;
  /** Hard limit of a quick scan, minutes. @default 60 */
  quickTimeoutMinutes: number;
  /** Hard limit of a full scan, minutes. @default 480 */
  fullTimeoutMinutes: number;
  /** A full scan waits while the device runs on battery. @default true */
  fullScanNeedsMains: boolean;
}

/** Antivirus products whose remedy chains the catalogue carries. */
export const ANTIVIRUS_CHOICES = [
  'auto',
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
export type AntivirusChoice = (typeof ANTIVIRUS_CHOICES)[number];

export const PATCH_CHOICES = ['auto', 'windows-update', 'apt'] as const;
export type PatchChoice = (typeof PATCH_CHOICES)[number];

/** How findings are remedied (issue 4); docs/remedies.md. */
export interface RemediationPolicy {
  /**
   * `auto` sends remedies to the device as jobs; `alert` only raises an
   * escalation for a human. @default 'auto'
   */
  mode: 'auto' | 'alert';
  /** Remedy jobs per occurrence of a finding before it escalates. @default 4 */
  maxAttempts: number;
  /**
   * The client's products, which pick the catalogue's remedy chain. `auto`
   * takes the product the device names in its hello, else the platform's
   * own (Defender, ClamAV, XProtect; Windows Update, apt).
   */
  products: { antivirus: AntivirusChoice; patches: PatchChoice };
  /** Finding codes nobody is told about and nothing remedies. @default [] */
  suppressCodes: string[];
  /**
   * Remedies may install software (`apt-install` of ClamAV or
   * smartmontools). Off, such a step is skipped and the finding goes to a
   * technician with the step as the suggested fix. @default false
   */
  installSoftware: boolean;
}

export interface Policy {
  version: number;
  disk: DiskPolicy;
  /** IANA zone of the client; weekday rules use it. @default 'UTC' */
  timeZone?: string;
  /**
   * Daily window, in `timeZone`, for the cycles the user may notice
   * (CycleDefinition.inMaintenanceWindow). @default none: due time + jitter
   */
  maintenanceWindow?: MaintenanceWindow;
  /** Absent sections take DEFAULT_POLICY's values. */
  cleanup?: CleanupPolicy;
  patches?: PatchPolicy;
  spyware?: SpywarePolicy;
  remediation?: RemediationPolicy;
  /**
   * Cycle kinds turned off for this client or site (policy-inheritance.ts);
   * an absent kind runs. @default every kind runs
   */
  cycles?: CycleSettings;
}

/** Cycle kinds a policy turns on or off; absent kinds run. */
export type CycleSettings = Partial<Record<CycleKind, { enabled: boolean }>>;

export const MB = 1024 * 1024;

export const DEFAULT_POLICY: Policy = {
  version: 1,
  disk: {
    floorBytes: 200 * MB,
    minFreePercent: 10,
    minFreeInodesPercent: 5,
    recoveryFloorBytes: 250 * MB,
    forecastHorizonDays: 14,
  },
  timeZone: 'UTC',
  cleanup: {
    maxAgeDays: 7,
    dryRun: true,
    allowIso: false,
    categories: [],
  },
  patches: {
    mode: 'all-security',
    whitelist: [],
    criticalCount: 10,
    criticalAgeDays: 30,
    maxListAgeDays: 7,
    classifications: ['Security Updates', 'Critical Updates'],
    severities: ['Critical', 'Important', 'Moderate', 'Low'],
    deferDays: 0,
    blocklist: [],
    ring: 'broad',
    rollout: { pilotDays: 3, maxFailurePercent: 20, maxPerMinute: 50 },
    reboot: {
      workStart: '08:00',
      workEnd: '18:00',
      workDays: [1, 2, 3, 4, 5],
      maxDeferrals: 3,
      deferMinutes: 240,
    },
  },
  spyware: {
    product: 'auto',
    quickTimeoutMinutes: 60,
    fullTimeoutMinutes: 480,
    fullScanNeedsMains: true,
  },
  remediation: {
    mode: 'auto',
    maxAttempts: 4,
    products: { antivirus: 'auto', patches: 'auto' },
    suppressCodes: [],
    installSoftware: false,
  },
};

/**
 * A policy section with defaults filled in, so that a policy written before
 * the section existed still runs the check.
 */
export function policySection<
  K extends 'cleanup' | 'patches' | 'spyware' | 'remediation',
>(policy: Policy, key: K): NonNullable<Policy[K]> {
  const fallback = DEFAULT_POLICY[key] as NonNullable<Policy[K]>;
  return { ...fallback, ...(policy[key] ?? {}) };
}

/**
 * One drive as smartctl described it, whatever the output form (JSON or
 * text, ATA, NVMe or SCSI). Every field is optional because real output is
 * often partial; the judge treats a missing field as unknown, never as ok.
 */
export type SmartProtocol = 'ATA' | 'NVMe' | 'SCSI' | 'unknown';

export interface AtaAttribute {
  id: number;
  name: string;
  /** Normalized value, worst and threshold (higher is better). */
  value?: number;
  worst?: number;
  thresh?: number;
  /** smartctl's WHEN_FAILED: '' | 'now' | 'past' (text: FAILING_NOW...). */
  whenFailed: string;
  prefailure?: boolean;
  /**
   * The raw value as a count, or undefined when the vendor packs several
   * fields into it (a count above 2^32 is not a count).
   */
  count?: number;
  rawText: string;
}

export interface SelfTestEntry {
  type: string;
  status: string;
  /** smartctl's own pass flag where the JSON has one. */
  passed?: boolean;
  lifetimeHours?: number;
  lba?: number;
}

export interface NvmeHealth {
  criticalWarning?: number;
  availableSpare?: number;
  spareThreshold?: number;
  /** Percent of rated endurance used; may exceed 100 (up to 255). */
  percentageUsed?: number;
  mediaErrors?: number;
  errorLogEntries?: number;
  temperature?: number;
  warningTemp?: number;
  criticalTemp?: number;
  unsafeShutdowns?: number;
}

export interface ScsiHealth {
  grownDefects?: number;
  uncorrectedErrors?: number;
}

export interface SmartDevice {
  /** Device path as smartctl named it (`/dev/sda`; on Windows even NVMe). */
  name?: string;
  /** smartctl device type (`sat`, `nvme`, `usbjmicron`...). */
  type?: string;
  protocol: SmartProtocol;
  model?: string;
  serial?: string;
  firmware?: string;
  /** smartctl's exit status: a bit mask, not a success flag. */
  exitStatus?: number;
  smartAvailable?: boolean;
  smartEnabled?: boolean;
  /** The drive's own overall verdict; undefined when not reported. */
  passed?: boolean;
  powerOnHours?: number;
  temperature?: number;
  /** 0 for solid state. */
  rotationRate?: number;
  logicalBlockSize?: number;
  attributes: AtaAttribute[];
  nvme?: NvmeHealth;
  scsi?: ScsiHealth;
  /** Newest first, as the drive's log lists them. */
  selfTests: SelfTestEntry[];
  selfTestInProgress?: boolean;
  /** ATA error log count (total errors ever logged). */
  errorLogCount?: number;
  /** smartctl's own error messages (unknown bridge, open failed...). */
  messages: string[];
}

/** One smartctl run inside a recorded text (a retry with `-d` is another). */
export interface SmartAttempt {
  command?: string;
  /** The `-d` type the run asked for, if any. */
  deviceType?: string;
  device: SmartDevice;
}

/**
 * Counters stored from an earlier run. Keys are `ata.<id>` for ATA
 * attributes and `nvme.media_errors`, `nvme.error_log`, `ata.error_log`.
 */
export interface SmartBaseline {
  takenAt?: string;
  counters: Record<string, number>;
}

export type SmartParseResult =
  | { ok: true; devices: SmartDevice[] }
  | { ok: false; reason: string };

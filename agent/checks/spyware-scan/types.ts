export type ScanType = 'quick' | 'full';

/** One detection, as the report carries it (first few only). */
export interface Threat {
  name: string;
  /** The file or resource, clipped for the report. */
  path?: string;
  /** The product removed or quarantined it. */
  remediated?: boolean;
}

/** Power as the scan saw it; null fields mean the source did not say. */
export interface PowerState {
  /** A battery is present. */
  hasBattery: boolean;
  /** Running from the battery now. */
  onBattery: boolean | null;
  source: string;
}

/** What one scan run produced, before judgement. */
export interface ScanOutcome {
  product: string;
  scanType: ScanType;
  /** The scan finished (clamscan exit 0 or 1, Start-MpScan returned). */
  completed: boolean;
  threats: Threat[];
  /** Threats reported in total; `threats` may hold fewer. */
  threatCount: number;
  scannedFiles?: number;
  durationMs: number;
  /** Scanner error lines or exception text, clipped. */
  errors: string[];
  /** The command and its exit status, for findings. */
  command: string;
  exitCode: number | null;
}

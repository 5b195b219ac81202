import type { WmiDate } from './dates.js';
import type { ProductState } from './product-state.js';

/** An age in days, or `never` where the tool printed a sentinel. */
export type Age = number | 'never';

export type DefenderMode =
  | 'normal'
  | 'passive'
  | 'sxs-passive'
  | 'edr-block'
  | 'not-running'
  | 'unknown';

/** `Get-MpComputerStatus` read with its sentinels already decoded. */
export interface DefenderStatus {
  mode: DefenderMode;
  modeText?: string;
  serviceEnabled?: boolean;
  antivirusEnabled?: boolean;
  antispywareEnabled?: boolean;
  realTimeEnabled?: boolean;
  /** False when AMEngineVersion reads 0.0.0.0. */
  engineLoaded?: boolean;
  engineVersion?: string;
  productVersion?: string;
  antivirusSignatureAge?: Age;
  antispywareSignatureAge?: Age;
  antivirusSignatureUpdated?: WmiDate;
  antispywareSignatureUpdated?: WmiDate;
  quickScanAge?: Age;
  fullScanAge?: Age;
  signaturesOutOfDate?: boolean;
}

/** One `root/SecurityCenter2` AntiVirusProduct instance. */
export interface SecurityCenterProduct {
  displayName: string;
  state: ProductState;
  productPath?: string;
  reportingPath?: string;
  timestamp?: Date;
  /**
   * False when the agent found the product's executable gone: a stale entry
   * of an uninstalled product, to be ignored.
   */
  installed?: boolean;
}

export type SecurityCenter =
  | { available: true; products: SecurityCenterProduct[] }
  /** Windows Server, or broken WMI: no verdict about third parties. */
  | { available: false };

/** One ClamAV database header (CVD or CLD). */
export interface ClamavDatabase {
  name: string;
  version?: number;
  builtAt?: Date;
}

export interface XProtectInstall {
  name: string;
  version?: string;
  installedAt: Date;
}

/** Product keys the catalogue's remedy chains use. */
export type ProductKey =
  | 'defender'
  | 'sophos'
  | 'eset'
  | 'webroot'
  | 'bitdefender'
  | 'kaspersky'
  | 'trend-micro'
  | 'clamav'
  | 'xprotect'
  | 'any';

/** A signature timestamp read from the vendor's own store. */
export interface VendorSignature {
  product: ProductKey;
  updatedAt: WmiDate;
  /** Where it was read (registry value, file). */
  source: string;
}

/** Everything one run (or one recorded output) says about antivirus. */
export interface AvSnapshot {
  defender?: DefenderStatus;
  securityCenter?: SecurityCenter;
  clamav?: ClamavDatabase[];
  xprotect?: XProtectInstall[];
  vendorSignatures?: VendorSignature[];
}

export type AvParseResult =
  | { ok: true; snapshot: AvSnapshot }
  | { ok: false; reason: string };

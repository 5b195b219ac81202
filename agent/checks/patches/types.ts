/** One update that is available and not installed, from any source. */
export interface PendingUpdate {
  /** Package name, KB number (`KB5034441`) or softwareupdate label. */
  id: string;
  title?: string;
  /** The version that would be installed. */
  version?: string;
  /** From a security source or classification. */
  security: boolean;
  /** Windows: Security Updates, Critical Updates, Updates... */
  classification?: string;
  /** Windows: MSRC severity (Critical, Important, Moderate, Low). */
  severity?: string;
  sizeBytes?: number;
  /** Windows: 0 never, 1 always, 2 can request a restart. */
  rebootBehavior?: number;
  /** Release or last deployment change, ISO 8601, when the source says. */
  releasedAt?: string;
}

/** One entry of the install history that did not succeed. */
export interface FailedInstall {
  title: string;
  date: string;
  /** OperationResultCode: 3 with errors, 4 failed, 5 aborted. */
  resultCode: number;
  /** 0x plus 8 upper-case hex digits. */
  hresult?: string;
}

/** The Windows Update service as Win32_Service reports it. */
export interface UpdateService {
  /** Auto, Manual, Disabled; null when the service does not exist. */
  startMode: string | null;
  state: string | null;
}

/** What a probe learnt; `updates` is undefined when the search failed. */
export interface PatchState {
  source: 'apt' | 'windows-update' | 'softwareupdate';
  updates?: PendingUpdate[];
  rebootPending?: boolean;
  /** Age of the package index, days (apt); undefined when there is none. */
  listAgeDays?: number;
  failedInstalls?: FailedInstall[];
  /** Windows: history entries that succeeded (title and date only). */
  succeededInstalls?: { title: string; date: string }[];
  /** Windows: the update service, read before any search. */
  service?: UpdateService;
  /** Windows: the search threw; its message and HRESULT. */
  searchError?: { message: string; hresult?: string };
}

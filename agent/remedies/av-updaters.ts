import type { AvProduct, RemedyPlatform } from '../../core/index.js';

/**
 * How the agent asks each antivirus product for fresh signatures: the
 * vendor's own updater, found at the places its installers use. Which of
 * these worked is not read from exit codes alone: the antivirus re-check
 * reads the product's signature timestamp (VENDOR_SIGNATURE_SOURCES in
 * agent/checks/antivirus/vendor-signatures.ts) and that report is the
 * proof. docs/remedies-agent.md keeps the same table with what is known
 * and not known of each updater.
 */
export interface WindowsUpdater {
  /** PowerShell double-quoted paths, tried in order; the first found runs. */
  candidates: readonly string[];
  /** Arguments, each a plain word (quoted as PowerShell literals). */
  args: readonly string[];
}

// PowerShell's own `${env:...}` syntax, needed for a name with parentheses.
// biome-ignore lint/suspicious/noTemplateCurlyInString: PowerShell, not JS
const X86 = '${env:ProgramFiles(x86)}';
const PF = '$env:ProgramFiles';

export const WINDOWS_UPDATERS: Partial<Record<AvProduct, WindowsUpdater>> = {
  sophos: {
    candidates: [
      `${X86}\\Sophos\\AutoUpdate\\SophosUpdate.exe`,
      `${PF}\\Sophos\\AutoUpdate\\SophosUpdate.exe`,
    ],
    args: [],
  },
  eset: {
    candidates: [`${PF}\\ESET\\ESET Security\\ermm.exe`],
    args: ['start', 'update'],
  },
  kaspersky: {
    candidates: [
      `${X86}\\Kaspersky Lab\\Kaspersky Endpoint Security for Windows\\avp.com`,
      `${PF}\\Kaspersky Lab\\Kaspersky Endpoint Security for Windows\\avp.com`,
    ],
    args: ['UPDATE'],
  },
  bitdefender: {
    candidates: [`${PF}\\Bitdefender\\Endpoint Security\\product.console.exe`],
    args: ['/c', 'StartUpdate'],
  },
  webroot: {
    candidates: [`${PF}\\Webroot\\WRSA.exe`, `${X86}\\Webroot\\WRSA.exe`],
    args: ['-poll'],
  },
};

/** The platform each product's updater runs on. */
export function updaterPlatform(
  product: AvProduct,
): RemedyPlatform | undefined {
  if (product === 'clamav') return 'linux';
  if (product === 'xprotect') return 'darwin';
  if (product === 'defender' || WINDOWS_UPDATERS[product]) return 'win32';
  // Trend Micro documents no command-line signature update for its agent.
  return undefined;
}

/** freshclam exit codes (freshclam(1) RETURN CODES) the agent reads. */
export const FRESHCLAM_EXIT = {
  updated: 0,
  upToDate: 1,
  /** "Can't initialize logger": the freshclam daemon holds the log. */
  loggerLocked: 62,
} as const;

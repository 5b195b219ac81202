import type { CatalogueEntry } from '../catalogue/schema.js';
import type { RemediationPolicy } from '../policy.js';

/**
 * Which of a catalogue entry's chains applies to a device. The client's
 * antivirus product is tried first, then its patch product, then `any`;
 * an `auto` choice takes the product the device names in its hello, else
 * the platform's own.
 */
const AV_NAMES: readonly [RegExp, string][] = [
  [/defender/i, 'defender'],
  [/sophos/i, 'sophos'],
  [/\beset\b/i, 'eset'],
  [/webroot/i, 'webroot'],
  [/bitdefender/i, 'bitdefender'],
  [/kaspersky/i, 'kaspersky'],
  [/trend/i, 'trend-micro'],
  [/clam/i, 'clamav'],
  [/xprotect/i, 'xprotect'],
];

const PLATFORM_AV: Record<string, string> = {
  win32: 'defender',
  linux: 'clamav',
  darwin: 'xprotect',
};
const PLATFORM_PATCHES: Record<string, string> = {
  win32: 'windows-update',
  linux: 'apt',
};

export interface DeviceFacts {
  /** `process.platform` from the hello; undefined before the first hello. */
  platform?: string;
  /** Names of the security products the hello lists. */
  securityProducts?: readonly string[];
}

/** The chain keys to try, best first; always ends with `any`. */
export function productKeys(
  products: RemediationPolicy['products'],
  device: DeviceFacts,
): string[] {
  const keys = [antivirusKey(products.antivirus, device)];
  keys.push(...patchKeys(products.patches, device.platform));
  keys.push('any');
  return [...new Set(keys.filter((k): k is string => k !== undefined))];
}

/**
 * Before the first hello the platform is unknown: both platforms' patch
 * products are tried, since a catalogue entry names only its own.
 */
function patchKeys(choice: string, platform: string | undefined) {
  if (choice !== 'auto') return [choice];
  if (platform === undefined) return Object.values(PLATFORM_PATCHES);
  const key = PLATFORM_PATCHES[platform];
  return key ? [key] : [];
}

function antivirusKey(choice: string, device: DeviceFacts) {
  if (choice !== 'auto') return choice;

  for (const name of device.securityProducts ?? []) {
    const match = AV_NAMES.find(([pattern]) => pattern.test(name));
    if (match) return match[1];
  }
  return PLATFORM_AV[device.platform ?? ''];
}

export interface SelectedChain {
  /** The product key whose chain applies (`any` for the fallback). */
  product: string;
  steps: CatalogueEntry['remedies'][string];
}

/** The first chain of `keys` the entry has; undefined when none. */
export function selectChain(
  entry: CatalogueEntry,
  keys: readonly string[],
): SelectedChain | undefined {
  for (const product of keys) {
    const steps = entry.remedies[product];
    if (steps && steps.length > 0) return { product, steps };
  }
  return undefined;
}

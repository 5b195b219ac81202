import type { CheckKind } from '../../core/index.js';

/**
 * The services a job may start or re-enable. The allow-list's schema takes
 * any well-formed name; the agent narrows it to the services its remedy
 * chains need, so that a signed but mistaken document cannot start (or set
 * the start type of) anything else.
 *
 * Windows: the start type each service has on a clean install, restored
 * when a debloat tool left it Disabled (wuauserv's is Manual: it is
 * trigger-started). `recheck` is the check that shows the service working.
 */
export interface ServiceEntry {
  /** Start type to restore when the service is Disabled. */
  startType?: 'Automatic' | 'Manual';
  recheck: CheckKind;
}

export const WINDOWS_SERVICES: Readonly<Record<string, ServiceEntry>> = {
  wuauserv: { startType: 'Manual', recheck: 'patch-assessment' },
  bits: { startType: 'Manual', recheck: 'patch-assessment' },
  cryptsvc: { startType: 'Automatic', recheck: 'patch-assessment' },
  trustedinstaller: { startType: 'Manual', recheck: 'patch-assessment' },
  usosvc: { startType: 'Automatic', recheck: 'patch-assessment' },
  windefend: { startType: 'Automatic', recheck: 'antivirus' },
  wdnissvc: { startType: 'Manual', recheck: 'antivirus' },
  securityhealthservice: { startType: 'Manual', recheck: 'antivirus' },
  wscsvc: { startType: 'Automatic', recheck: 'antivirus' },
};

export const LINUX_UNITS: Readonly<Record<string, ServiceEntry>> = {
  'clamav-daemon': { recheck: 'antivirus' },
  'clamav-freshclam': { recheck: 'antivirus' },
  smartmontools: { recheck: 'smart' },
  smartd: { recheck: 'smart' },
};

/** The entry of a service on the platform; Windows names ignore case. */
export function serviceEntry(
  platform: string,
  service: string,
): ServiceEntry | undefined {
  if (platform === 'win32') {
    return lookup(WINDOWS_SERVICES, service.toLowerCase());
  }
  if (platform === 'linux') {
    return lookup(LINUX_UNITS, service.replace(/\.service$/, ''));
  }
  return undefined;
}

function lookup(table: Readonly<Record<string, ServiceEntry>>, key: string) {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

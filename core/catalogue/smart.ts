import type { CatalogueEntry } from './schema.js';

const SMARTCTL =
  'https://www.smartmontools.org/browser/trunk/smartmontools/smartctl.8.in';
const NVME = 'https://nvmexpress.org/specifications/';
const STORAGE_DOCS =
  'https://learn.microsoft.com/en-us/windows-hardware/drivers/storage/' +
  'msft-physicaldisk';

const step = (remedy: string, params: Record<string, unknown> = {}) => ({
  remedy,
  params,
});

/** Replace the drive after securing its data; nothing else fixes media. */
const REPLACE = [step('backup-now'), step('replace-disk-ticket')];

/** A counter that is not yet alarming: secure data, test, start a trend. */
const WATCH = [
  step('verify-backup'),
  step('run-extended-self-test'),
  step('store-smart-baseline'),
  step('replace-disk-ticket'),
];

const entry = (
  code: string,
  severity: CatalogueEntry['severity'],
  title: string,
  meaning: string,
  any: CatalogueEntry['remedies'][string],
  source = SMARTCTL,
): CatalogueEntry => ({
  code,
  title,
  meaning,
  severity,
  source,
  remedies: any.length > 0 ? { any } : {},
});

/** Drive health findings from smartctl (ATA, NVMe, SCSI). */
export const SMART_ENTRIES: CatalogueEntry[] = [
  entry(
    'smart.drive-failing',
    'critical',
    'Drive reports its own SMART health as failing',
    'The drive answered the SMART RETURN STATUS (or its NVMe critical ' +
      'warning byte) with FAILED; smartctl sets exit bit 3. The drive ' +
      'predicts its own failure.',
    REPLACE,
  ),
  entry(
    'smart.attribute-below-threshold',
    'critical',
    'SMART attribute at or below its failure threshold',
    'A normalized attribute value has reached the vendor threshold ' +
      '(WHEN_FAILED "now", exit bit 4). For pre-fail attributes this is ' +
      "the drive's failure prediction.",
    REPLACE,
  ),
  entry(
    'smart.attribute-failed-in-past',
    'warning',
    'SMART attribute was at its threshold in the past',
    'An attribute reached its threshold earlier and has recovered ' +
      '(exit bit 5). The drive survived an event worth watching.',
    WATCH,
  ),
  entry(
    'smart.reallocated-sectors',
    'warning',
    'Drive has reallocated sectors',
    'ATA attribute 5: sectors the drive retired and replaced with spares. ' +
      'A stable count is history; a growing count is a failing surface.',
    WATCH,
  ),
  entry(
    'smart.pending-sectors',
    'warning',
    'Drive has sectors pending reallocation',
    'ATA attribute 197: sectors that could not be read and wait to be ' +
      'rewritten or remapped. Data in them is unreadable now.',
    WATCH,
  ),
  entry(
    'smart.offline-uncorrectable',
    'warning',
    'Drive has offline-uncorrectable sectors',
    'ATA attribute 198: sectors the offline scan could not read or fix.',
    WATCH,
  ),
  entry(
    'smart.reported-uncorrectable',
    'warning',
    'Drive reported uncorrectable errors to the host',
    'ATA attribute 187: reads the drive could not correct with ECC.',
    WATCH,
  ),
  entry(
    'smart.command-timeouts',
    'info',
    'Drive has command timeouts',
    'ATA attribute 188: commands that timed out, often from power or ' +
      'cabling rather than media. Only growth matters. Several vendors ' +
      'pack three counters into the raw value; it is not read as a count ' +
      'then.',
    [step('store-smart-baseline'), step('reseat-cable-ticket')],
  ),
  entry(
    'smart.crc-errors',
    'warning',
    'Link CRC errors between host and drive',
    'ATA attribute 199 counts transport errors on the SATA link, not ' +
      'media errors. Blame the cable, backplane or port, not the disk. The ' +
      'counter never resets: judge later by its growth.',
    [
      step('reseat-cable-ticket'),
      step('store-smart-baseline'),
      step('rerun-check'),
    ],
  ),
  entry(
    'smart.self-test-failed',
    'critical',
    'Drive self-test found a failure',
    'The self-test log holds a failed test (read, servo or electrical ' +
      'failure; exit bit 7) that no later extended test has passed. ' +
      'The log is read in log order: its 16-bit hour stamps wrap.',
    REPLACE,
  ),
  entry(
    'smart.error-log-entries',
    'info',
    'Drive error log has entries',
    'The device error log records commands that failed (exit bit 6). ' +
      'Many entries are harmless; growth with media counters is not.',
    [step('store-smart-baseline')],
  ),
  entry(
    'smart.ssd-worn-out',
    'critical',
    'SSD at or past its rated endurance',
    'The wear indicator (normalized wear attribute near 1, or NVMe ' +
      'Percentage Used at or above 100, which may exceed 100) says the ' +
      'flash has used its rated program/erase cycles.',
    REPLACE,
  ),
  entry(
    'smart.ssd-wear-high',
    'warning',
    'SSD approaching its rated endurance',
    'The wear indicator shows most of the rated endurance used; plan the ' +
      'replacement.',
    [step('verify-backup'), step('replace-disk-ticket')],
  ),
  entry(
    'smart.nvme-spare-below-threshold',
    'critical',
    'NVMe available spare below threshold',
    'Critical warning bit 0x01, or Available Spare at or below its ' +
      'threshold: the drive is running out of spare blocks.',
    REPLACE,
    NVME,
  ),
  entry(
    'smart.nvme-temperature',
    'warning',
    'NVMe temperature out of range',
    'Critical warning bit 0x02: a temperature is above an over-temperature ' +
      'or below an under-temperature threshold.',
    [step('improve-cooling-ticket'), step('rerun-check')],
    NVME,
  ),
  entry(
    'smart.nvme-reliability-degraded',
    'critical',
    'NVMe reliability degraded',
    'Critical warning bit 0x04: media or internal errors degrade ' +
      'reliability. Samsung client drives also set it once Percentage ' +
      'Used reaches 100.',
    REPLACE,
    NVME,
  ),
  entry(
    'smart.nvme-read-only',
    'critical',
    'NVMe media placed in read-only mode',
    'Critical warning bit 0x08: the drive refuses writes to protect data.',
    REPLACE,
    NVME,
  ),
  entry(
    'smart.nvme-volatile-backup-failed',
    'critical',
    'NVMe power-loss protection failed',
    'Critical warning bit 0x10: the volatile memory backup device (PLP ' +
      'capacitors) has failed. Writes in flight are at risk on power loss.',
    [
      step('backup-now'),
      step('protect-power-ticket'),
      step('replace-disk-ticket'),
    ],
    NVME,
  ),
  entry(
    'smart.nvme-pmr-unreliable',
    'critical',
    'NVMe persistent memory region unreliable',
    'Critical warning bit 0x20: the persistent memory region has become ' +
      'read-only or unreliable.',
    REPLACE,
    NVME,
  ),
  entry(
    'smart.nvme-warning-reserved-bit',
    'warning',
    'NVMe critical warning with an undefined bit',
    'The critical warning byte has a bit the NVMe specification reserves ' +
      '(0x40, 0x80). The drive signals a condition this agent cannot name.',
    WATCH,
    NVME,
  ),
  entry(
    'smart.nvme-media-errors',
    'warning',
    'NVMe unrecovered media errors',
    'Media and Data Integrity Errors counts unrecovered data-integrity ' +
      'errors. A stable old count is history; growth since the stored ' +
      'baseline means the media is failing.',
    WATCH,
    NVME,
  ),
  entry(
    'smart.scsi-grown-defects',
    'warning',
    'SCSI drive has grown defects',
    'Elements in the grown defect list: blocks the drive remapped in use.',
    WATCH,
  ),
  entry(
    'smart.scsi-uncorrected-errors',
    'warning',
    'SCSI drive has uncorrected errors',
    'The error counter log shows read, write or verify errors the drive ' +
      'could not correct.',
    WATCH,
  ),
  entry(
    'smart.temperature-high',
    'warning',
    'Drive temperature above its warning threshold',
    "The drive's temperature is at or above its own warning threshold " +
      '(or 65 °C for drives that publish none).',
    [step('improve-cooling-ticket'), step('rerun-check')],
  ),
  entry(
    'smart.no-health-data',
    'info',
    'No SMART health data for the drive',
    'smartctl returned no health verdict, attributes or health log. The ' +
      'drive is unknown, never healthy.',
    [step('retry-smart-device-type'), step('rerun-check')],
  ),
  entry(
    'smart.usb-bridge-unrecognized',
    'info',
    'SMART not reachable through the USB bridge automatically',
    'smartctl did not recognise the USB bridge. The agent retries with ' +
      '-d sat, then sntasmedia, sntjmicron and sntrealtek for NVMe ' +
      'enclosures; when every type fails the drive is unknown.',
    [
      step('retry-smart-device-type', {
        types: ['sat', 'sntasmedia', 'sntjmicron', 'sntrealtek'],
      }),
      step('rerun-check'),
    ],
  ),
  entry(
    'smart.device-unreachable',
    'info',
    'smartctl could not open or query the drive',
    'smartctl exit bit 0 (command line) or bit 1 (device open failed), or ' +
      'a mandatory command failed: no data, so the drive is unknown.',
    [step('rerun-check')],
  ),
  entry(
    'smart.partial-data',
    'info',
    'smartctl returned partial data',
    'Exit bit 2: a SMART or ATA command failed or a checksum was bad. The ' +
      'rest of the data is still judged.',
    [step('rerun-check')],
  ),
  {
    code: 'smart.smartctl-missing',
    title: 'smartctl is not installed',
    meaning:
      'The smartmontools package is missing, so no drive can be judged; ' +
      'SMART status is unknown.',
    severity: 'info',
    source: 'https://www.smartmontools.org/wiki/Download',
    remedies: {
      apt: [step('apt-install', { package: 'smartmontools' })],
      any: [step('install-smartmontools-ticket')],
    },
  },
  entry(
    'smart.storage-health-unhealthy',
    'critical',
    'Windows reports the disk as Unhealthy',
    'Get-PhysicalDisk HealthStatus Unhealthy: the storage stack (the ' +
      "drive's own failure prediction, or the controller) says the disk " +
      'is failing. Read where smartctl cannot reach the drive (RST/VMD, ' +
      'RAID).',
    REPLACE,
    STORAGE_DOCS,
  ),
  entry(
    'smart.storage-health-warning',
    'warning',
    'Windows reports the disk health as Warning',
    'Get-PhysicalDisk HealthStatus Warning: the disk is degraded or ' +
      'predicts trouble; the OperationalStatus in the detail says which.',
    WATCH,
    STORAGE_DOCS,
  ),
  entry(
    'smart.storage-uncorrected-errors',
    'warning',
    'Disk reported uncorrected read or write errors',
    'Get-StorageReliabilityCounter ReadErrorsUncorrected or ' +
      'WriteErrorsUncorrected is above zero: data the drive could not ' +
      'recover. A stable count is history; growth since the stored ' +
      'baseline is a failing drive.',
    WATCH,
    STORAGE_DOCS,
  ),
];

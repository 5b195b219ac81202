import {
  arr,
  at,
  bool,
  type Json,
  num,
  obj,
  rawCount,
  str,
} from './json-fields.js';
import type {
  AtaAttribute,
  NvmeHealth,
  ScsiHealth,
  SelfTestEntry,
  SmartDevice,
  SmartParseResult,
  SmartProtocol,
} from './types.js';

/**
 * Parses `smartctl --json` output: one document, an array of documents, or
 * one compact document per line (`--json=c`). Never throws: odd input is a
 * parse failure with a reason.
 */
export function parseSmartctlJson(text: string): SmartParseResult {
  const docs = readDocuments(text);
  if (!docs) return { ok: false, reason: 'not JSON' };

  const smartDocs = docs.filter(isSmartctlDocument);
  if (smartDocs.length === 0 || smartDocs.length !== docs.length) {
    return { ok: false, reason: 'JSON is not smartctl output' };
  }

  return { ok: true, devices: smartDocs.map(deviceFromJson) };
}

function readDocuments(text: string): Json[] | undefined {
  const whole = tryParse(text);
  if (whole !== undefined) {
    const list = Array.isArray(whole) ? whole : [whole];
    const docs = list.map(obj);
    return docs.every((d) => d) ? (docs as Json[]) : undefined;
  }

  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const docs = lines.map((l) => obj(tryParse(l)));
  return lines.length > 0 && docs.every((d) => d)
    ? (docs as Json[])
    : undefined;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isSmartctlDocument(doc: Json): boolean {
  return (
    obj(doc.smartctl) !== undefined ||
    (obj(doc.device) !== undefined && arr(doc.json_format_version).length > 0)
  );
}

export function deviceFromJson(doc: Json): SmartDevice {
  const attributes = ataAttributes(doc);
  const nvme = nvmeHealth(doc);

  return {
    name: str(at(doc, 'device.name')),
    type: str(at(doc, 'device.type')),
    protocol: protocolOf(doc, attributes.length > 0, nvme !== undefined),
    model: str(doc.model_name) ?? str(doc.scsi_model_name),
    serial: str(doc.serial_number),
    firmware: str(doc.firmware_version),
    exitStatus: num(at(doc, 'smartctl.exit_status')),
    smartAvailable: bool(at(doc, 'smart_support.available')),
    smartEnabled: bool(at(doc, 'smart_support.enabled')),
    passed: bool(at(doc, 'smart_status.passed')),
    powerOnHours: num(at(doc, 'power_on_time.hours')),
    temperature: num(at(doc, 'temperature.current')),
    rotationRate: num(doc.rotation_rate),
    logicalBlockSize: num(doc.logical_block_size),
    attributes,
    nvme,
    scsi: scsiHealth(doc),
    selfTests: [...ataSelfTests(doc), ...nvmeSelfTests(doc)],
    selfTestInProgress: selfTestRunning(doc),
    errorLogCount:
      num(at(doc, 'ata_smart_error_log.summary.count')) ??
      num(at(doc, 'ata_smart_error_log.extended.count')),
    messages: arr(at(doc, 'smartctl.messages'))
      .map((m) => str(obj(m)?.string))
      .filter((m): m is string => m !== undefined),
  };
}

function protocolOf(doc: Json, ata: boolean, nvme: boolean): SmartProtocol {
  const declared = str(at(doc, 'device.protocol'));
  if (declared === 'ATA' || declared === 'NVMe' || declared === 'SCSI') {
    return declared;
  }
  if (nvme) return 'NVMe';
  return ata ? 'ATA' : 'unknown';
}

function ataAttributes(doc: Json): AtaAttribute[] {
  return arr(at(doc, 'ata_smart_attributes.table')).flatMap((row) => {
    const a = obj(row);
    const id = num(a?.id);
    if (!a || id === undefined) return [];

    return [
      {
        id,
        name: str(a.name) ?? `Unknown_Attribute_${id}`,
        value: num(a.value),
        worst: num(a.worst),
        thresh: num(a.thresh),
        whenFailed: str(a.when_failed) ?? '',
        prefailure: bool(at(a, 'flags.prefailure')),
        count: rawCount(num(at(a, 'raw.value')), str(at(a, 'raw.string'))),
        rawText: str(at(a, 'raw.string')) ?? String(at(a, 'raw.value') ?? ''),
      },
    ];
  });
}

function nvmeHealth(doc: Json): NvmeHealth | undefined {
  const log = obj(doc.nvme_smart_health_information_log);
  if (!log) return undefined;

  return {
    criticalWarning: num(log.critical_warning),
    availableSpare: num(log.available_spare),
    spareThreshold: num(log.available_spare_threshold),
    percentageUsed: num(log.percentage_used),
    mediaErrors: num(log.media_errors),
    errorLogEntries: num(log.num_err_log_entries),
    temperature: num(log.temperature),
    warningTemp: num(at(doc, 'nvme_composite_temperature_threshold.warning')),
    criticalTemp: num(at(doc, 'nvme_composite_temperature_threshold.critical')),
    unsafeShutdowns: num(log.unsafe_shutdowns),
  };
}

function scsiHealth(doc: Json): ScsiHealth | undefined {
  const defects = num(doc.scsi_grown_defect_list);
  const log = obj(doc.scsi_error_counter_log);
  if (defects === undefined && !log) return undefined;

  const uncorrected = ['read', 'write', 'verify']
    .map((op) => num(at(log, `${op}.total_uncorrected_errors`)))
    .filter((n): n is number => n !== undefined);

  return {
    grownDefects: defects,
    uncorrectedErrors:
      uncorrected.length > 0 ? uncorrected.reduce((a, b) => a + b) : undefined,
  };
}

function ataSelfTests(doc: Json): SelfTestEntry[] {
  const table =
    arr(at(doc, 'ata_smart_self_test_log.standard.table')).length > 0
      ? arr(at(doc, 'ata_smart_self_test_log.standard.table'))
      : arr(at(doc, 'ata_smart_self_test_log.extended.table'));

  return table.flatMap((row) => {
    const t = obj(row);
    if (!t) return [];
    return [
      {
        type: str(at(t, 'type.string')) ?? 'unknown',
        status: str(at(t, 'status.string')) ?? 'unknown',
        passed: bool(at(t, 'status.passed')),
        lifetimeHours: num(t.lifetime_hours),
        lba: num(t.lba),
      },
    ];
  });
}

function nvmeSelfTests(doc: Json): SelfTestEntry[] {
  return arr(at(doc, 'nvme_self_test_log.table')).flatMap((row) => {
    const t = obj(row);
    if (!t) return [];
    const result = num(at(t, 'self_test_result.value'));
    return [
      {
        type: str(at(t, 'self_test_code.string')) ?? 'unknown',
        status: str(at(t, 'self_test_result.string')) ?? 'unknown',
        // NVMe result codes 5-7 are failed segments or a fatal error.
        passed:
          result === undefined ? undefined : !(result >= 5 && result <= 7),
        lifetimeHours: num(t.power_on_hours),
        lba: num(t.lba),
      },
    ];
  });
}

function selfTestRunning(doc: Json): boolean | undefined {
  const ata = num(at(doc, 'ata_smart_data.self_test.status.value'));
  if (ata !== undefined) return ata >> 4 === 0x0f;

  const nvme = num(
    at(doc, 'nvme_self_test_log.current_self_test_operation.value'),
  );
  if (nvme !== undefined) return nvme !== 0;

  return undefined;
}

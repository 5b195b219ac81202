import {
  ataAttributeRow,
  ataSelfTestRow,
  looseInt,
  nvmeSelfTestRow,
} from './text-rows.js';
import type { SmartAttempt, SmartDevice, SmartProtocol } from './types.js';

/**
 * Parses smartctl's text report (`-a`, `-x`, `-A`, ATA, NVMe or SCSI). A
 * recorded text may hold several runs, for example an auto-detect attempt
 * and a retry with `-d sat`; each run becomes one attempt. Never throws.
 */
export function parseSmartctlText(text: string): SmartAttempt[] {
  return splitRuns(text.split(/\r?\n/))
    .map(parseRun)
    .filter((a) => a.hasContent)
    .map(({ attempt }) => attempt);
}

const COMMAND = /^\s*(?:[#$>]\s*)?(?:sudo\s+)?smartctl(?:\.exe)?\s+(-.*)$/i;
const BANNER = /^smartctl (?:pre-)?\d+\.\d+/;

interface Run {
  command?: string;
  lines: string[];
}

function splitRuns(lines: string[]): Run[] {
  const runs: Run[] = [{ lines: [] }];
  let sawBanner = false;

  for (const line of lines) {
    const command = COMMAND.exec(line);
    if (command) {
      runs.push({ command: line.trim(), lines: [] });
      sawBanner = false;
      continue;
    }
    if (BANNER.test(line)) {
      if (sawBanner) runs.push({ lines: [] });
      sawBanner = true;
    }
    (runs[runs.length - 1] as Run).lines.push(line);
  }
  return runs;
}

type Section = 'none' | 'attributes' | 'selftest' | 'nvme-selftest' | 'errors';

interface RunState {
  device: SmartDevice;
  section: Section;
  hasContent: boolean;
  protocolHints: Set<SmartProtocol>;
}

function parseRun(run: Run): { attempt: SmartAttempt; hasContent: boolean } {
  const state: RunState = {
    device: {
      protocol: 'unknown',
      attributes: [],
      selfTests: [],
      messages: [],
    },
    section: 'none',
    hasContent: false,
    protocolHints: new Set(),
  };

  for (const line of run.lines) parseLine(state, line);
  finish(state);

  const deviceType = /\s-d\s*([a-z0-9,_-]+)/i.exec(run.command ?? '')?.[1];
  return {
    attempt: {
      ...(run.command ? { command: run.command } : {}),
      ...(deviceType ? { deviceType } : {}),
      device: state.device,
    },
    hasContent: state.hasContent || run.command !== undefined,
  };
}

function parseLine(state: RunState, raw: string) {
  const line = raw.replace(/\s+$/, '');
  if (line.trim() === '') return;

  if (switchSection(state, line)) return;
  if (parseMessage(state, line)) return;
  if (parseSectionRow(state, line)) return;
  parseField(state, line);
}

function switchSection(state: RunState, line: string): boolean {
  if (/^ID#\s+ATTRIBUTE_NAME/.test(line)) {
    state.section = 'attributes';
  } else if (/^SMART (Extended )?Self-test log/i.test(line)) {
    state.section = 'selftest';
  } else if (/^Self-test Log \(NVMe/i.test(line)) {
    state.section = 'nvme-selftest';
  } else if (/^SMART (Extended Comprehensive )?Error Log/i.test(line)) {
    state.section = 'errors';
  } else if (/^(===|SMART\/Health Information|Error Information)/.test(line)) {
    state.section = 'none';
    if (/NVMe Log/.test(line)) state.protocolHints.add('NVMe');
    return false;
  } else {
    return false;
  }
  state.hasContent = true;
  return true;
}

/** smartctl's own complaints: the run reached no SMART data. */
const SMARTCTL_ERRORS = [
  /Unknown USB bridge/i,
  /Please specify device type/i,
  /open device: .* failed/i,
  /Read Device Identity failed/i,
  /A mandatory SMART command failed/i,
  /Device not supported/i,
  /Unable to detect device type/i,
  /No such (file|device)/i,
];

function parseMessage(state: RunState, line: string): boolean {
  if (!SMARTCTL_ERRORS.some((pattern) => pattern.test(line))) return false;

  state.device.messages.push(line.trim());
  state.hasContent = true;
  return true;
}

function parseSectionRow(state: RunState, line: string): boolean {
  const { device } = state;

  if (state.section === 'attributes') {
    const attribute = ataAttributeRow(line);
    if (attribute) device.attributes.push(attribute);
    return attribute !== undefined;
  }
  if (state.section === 'selftest') {
    const entry = ataSelfTestRow(line);
    if (entry) device.selfTests.push(entry);
    return entry !== undefined;
  }
  if (state.section === 'nvme-selftest') {
    const entry = nvmeSelfTestRow(line);
    if (entry) device.selfTests.push(entry);
    return entry !== undefined;
  }
  return false;
}

/** `Key:   value` lines of the information and health sections. */
function parseField(state: RunState, line: string) {
  const match = /^([A-Za-z][^:]*?):\s+(.*)$/.exec(line);
  if (!match) return;
  const key = (match[1] ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
  const value = (match[2] ?? '').trim();

  const handler = FIELD_HANDLERS[key] ?? prefixHandler(key);
  if (!handler) return;
  handler(state, value);
  state.hasContent = true;
}

type FieldHandler = (state: RunState, value: string) => void;

const setNvme = (key: keyof NonNullable<SmartDevice['nvme']>) => {
  return (state: RunState, value: string) => {
    state.protocolHints.add('NVMe');
    state.device.nvme = { ...state.device.nvme, [key]: looseInt(value) };
  };
};

const FIELD_HANDLERS: Record<string, FieldHandler> = {
  'device model': (s, v) => {
    s.device.model = v;
    s.protocolHints.add('ATA');
  },
  'model number': (s, v) => {
    s.device.model = v;
  },
  product: (s, v) => {
    s.device.model ??= v;
  },
  'serial number': (s, v) => {
    s.device.serial = v;
  },
  'firmware version': (s, v) => {
    s.device.firmware = v;
  },
  'rotation rate': (s, v) => {
    s.device.rotationRate = /solid state/i.test(v) ? 0 : looseInt(v);
  },
  'smart support is': (s, v) => {
    if (/unavailable/i.test(v)) s.device.smartAvailable = false;
    else if (/available/i.test(v)) s.device.smartAvailable = true;
    if (/disabled/i.test(v)) s.device.smartEnabled = false;
    else if (/enabled/i.test(v)) s.device.smartEnabled = true;
  },
  'smart overall-health self-assessment test result': (s, v) => {
    s.device.passed = /^PASSED/i.test(v);
  },
  'smart health status': (s, v) => {
    s.device.passed = /^OK/i.test(v);
    s.protocolHints.add('SCSI');
  },
  'ata version is': (s) => {
    s.protocolHints.add('ATA');
  },
  'nvme version': (s) => {
    s.protocolHints.add('NVMe');
  },
  'critical warning': setNvme('criticalWarning'),
  'available spare': setNvme('availableSpare'),
  'available spare threshold': setNvme('spareThreshold'),
  'percentage used': setNvme('percentageUsed'),
  'media and data integrity errors': setNvme('mediaErrors'),
  'error information log entries': setNvme('errorLogEntries'),
  'unsafe shutdowns': setNvme('unsafeShutdowns'),
  'warning comp. temp. threshold': setNvme('warningTemp'),
  'critical comp. temp. threshold': setNvme('criticalTemp'),
  temperature: (s, v) => {
    s.device.temperature = looseInt(v);
  },
  'current drive temperature': (s, v) => {
    s.device.temperature = looseInt(v);
  },
  'power on hours': (s, v) => {
    s.device.powerOnHours = looseInt(v);
  },
  'accumulated power on time, hours': (s, v) => {
    s.device.powerOnHours = looseInt(v);
  },
  'ata error count': (s, v) => {
    s.device.errorLogCount = looseInt(v);
  },
  'elements in grown defect list': (s, v) => {
    s.protocolHints.add('SCSI');
    s.device.scsi = { ...s.device.scsi, grownDefects: looseInt(v) };
  },
  'self-test status': (s, v) => {
    s.device.selfTestInProgress = /in progress/i.test(v);
  },
};

function prefixHandler(key: string): FieldHandler | undefined {
  if (key.startsWith('self-test execution status')) {
    return (s, v) => {
      s.device.selfTestInProgress = /in progress/i.test(v);
    };
  }
  return undefined;
}

function finish(state: RunState) {
  const { device, protocolHints } = state;

  if (device.nvme?.temperature === undefined && device.nvme) {
    device.nvme.temperature = device.temperature;
  }
  device.protocol = pickProtocol(protocolHints, device);
  device.powerOnHours ??= device.attributes.find((a) => a.id === 9)?.count;
  device.temperature ??= device.attributes.find(
    (a) => a.id === 194 || a.id === 190,
  )?.count;
}

function pickProtocol(hints: Set<SmartProtocol>, device: SmartDevice) {
  // Content decides, never the device name: on Windows an NVMe drive is
  // /dev/sda as well.
  if (hints.has('NVMe') || device.nvme) return 'NVMe';
  if (hints.has('ATA') || device.attributes.length > 0) return 'ATA';
  if (hints.has('SCSI')) return 'SCSI';
  return 'unknown';
}

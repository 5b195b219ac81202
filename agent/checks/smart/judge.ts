import type { Finding, Verdict } from '../../../core/index.js';
import {
  bySeverity,
  findingFor,
  type Judgement,
  judgementOf,
} from '../../../core/judgement.js';
import { worseVerdict } from '../../../core/verdict.js';
import { decodeExitStatus, exitMeansNoData } from './exit-status.js';
import { judgeAtaAttributes } from './judge-ata.js';
import { judgeNvme, warningByteExplainsFailure } from './judge-nvme.js';
import { judgeSelfTests } from './judge-self-tests.js';
import { MEDIA_COUNTER, trendOf } from './trend.js';
import type { SmartAttempt, SmartBaseline, SmartDevice } from './types.js';

export const smartJudgeDefaults = {
  /** Drives that publish no threshold of their own, °C. @default 65 */
  maxTemperatureC: 65,
};

/**
 * What a drive is called in findings: model and serial, or the device
 * path. Never the WWN, which cheap bridges report as all zeros.
 */
export function driveSubject(device: SmartDevice): string {
  const model = device.model?.trim();
  const serial = device.serial?.trim();
  if (model && serial) return `${model} (${serial})`;
  return model ?? serial ?? device.name ?? 'drive';
}

/** Judges one drive; `baseline` holds the counters of an earlier run. */
export function judgeSmartDevice(
  device: SmartDevice,
  baseline?: SmartBaseline,
): Judgement {
  const drive = driveSubject(device);
  if (!hasHealthData(device) || exitMeansNoData(device.exitStatus)) {
    return judgementOf(noDataFindings(device, drive), 'unknown');
  }

  const found = [
    ...verdictFindings(device, drive),
    ...judgeAtaAttributes(device, drive, baseline),
    ...(device.nvme ? judgeNvme(device.nvme, drive, baseline) : []),
    ...scsiFindings(device, drive, baseline),
    ...judgeSelfTests(device, drive),
    ...ataErrorLogFindings(device, drive, baseline),
    ...temperatureFindings(device, drive),
  ];
  const findings = [...found, ...exitFindings(device, drive, found)];

  return judgementOf(bySeverity(findings));
}

/**
 * Judges the runs of one recorded text. The last run that reached the
 * drive counts; an earlier run that failed on an unknown USB bridge is
 * reported with the device type that worked, or as unreachable.
 */
export function judgeSmartAttempts(
  attempts: readonly SmartAttempt[],
  baseline?: SmartBaseline,
): Judgement {
  const reached = [...attempts].reverse().find((a) => reachedDrive(a.device));
  const bridge = attempts.find((a) => bridgeRefused(a.device));
  const bridgeFindings = bridge ? [bridgeFinding(bridge, reached)] : [];

  if (!reached) {
    const last = attempts[attempts.length - 1];
    if (bridge || !last) {
      const gap = bridge ? [] : [noHealthData('drive')];
      return judgementOf([...bridgeFindings, ...gap], 'unknown');
    }
    return judgeSmartDevice(last.device, baseline);
  }

  const judged = judgeSmartDevice(reached.device, baseline);
  return {
    verdict: judged.verdict,
    findings: bySeverity([...bridgeFindings, ...judged.findings]),
  };
}

/** Judges several drives (one smartctl document each). */
export function judgeSmartDevices(
  devices: readonly SmartDevice[],
  baseline?: SmartBaseline,
): Judgement {
  if (devices.length === 0)
    return judgementOf([noHealthData('drive')], 'unknown');

  const judged = devices.map((d) => judgeSmartDevice(d, baseline));
  const verdict = judged.reduce<Verdict>(
    (v, j) => worseVerdict(v, j.verdict),
    'ok',
  );
  return { verdict, findings: bySeverity(judged.flatMap((j) => j.findings)) };
}

function hasHealthData(device: SmartDevice): boolean {
  return (
    device.passed !== undefined ||
    device.attributes.length > 0 ||
    device.nvme !== undefined ||
    device.scsi !== undefined ||
    device.selfTests.length > 0
  );
}

function reachedDrive(device: SmartDevice): boolean {
  return (
    hasHealthData(device) ||
    device.model !== undefined ||
    device.serial !== undefined
  );
}

const BRIDGE_REFUSED = /Unknown USB bridge|Please specify device type/i;

function bridgeRefused(device: SmartDevice): boolean {
  return (
    !reachedDrive(device) && device.messages.some((m) => BRIDGE_REFUSED.test(m))
  );
}

function bridgeFinding(
  bridge: SmartAttempt,
  reached: SmartAttempt | undefined,
) {
  const subject = bridge.device.name ?? reached?.device.name ?? 'USB drive';
  const bridgeId = /\[(0x[0-9a-f]{4}:0x[0-9a-f]{4})/i.exec(
    bridge.device.messages.join(' '),
  )?.[1];

  return findingFor('smart.usb-bridge-unrecognized', subject, {
    ...(reached ? {} : { title: 'SMART not reachable through the USB bridge' }),
    detail: {
      ...(bridgeId ? { bridge: bridgeId } : {}),
      ...(reached?.deviceType ? { reachedWith: reached.deviceType } : {}),
    },
  });
}

function noHealthData(subject: string, detail?: Record<string, unknown>) {
  return findingFor('smart.no-health-data', subject, detail ? { detail } : {});
}

function noDataFindings(device: SmartDevice, drive: string): Finding[] {
  if (device.messages.some((m) => BRIDGE_REFUSED.test(m))) {
    return [findingFor('smart.usb-bridge-unrecognized', drive)];
  }
  if (exitMeansNoData(device.exitStatus)) {
    return [
      findingFor('smart.device-unreachable', drive, {
        detail: { exitStatus: device.exitStatus, messages: device.messages },
      }),
    ];
  }
  return [
    noHealthData(drive, {
      smartAvailable: device.smartAvailable,
      smartEnabled: device.smartEnabled,
    }),
  ];
}

/** The drive's own verdict. For NVMe the warning bits say more. */
function verdictFindings(device: SmartDevice, drive: string): Finding[] {
  if (device.passed !== false) return [];
  if (device.protocol === 'NVMe' && warningByteExplainsFailure(device.nvme)) {
    return [];
  }
  return [findingFor('smart.drive-failing', drive)];
}

function scsiFindings(
  device: SmartDevice,
  drive: string,
  baseline: SmartBaseline | undefined,
): Finding[] {
  const findings: Finding[] = [];
  const defects = device.scsi?.grownDefects;
  if (defects) {
    const trend = trendOf('scsi.grown_defects', defects, baseline);
    findings.push(
      findingFor('smart.scsi-grown-defects', drive, {
        severity: MEDIA_COUNTER[trend],
        detail: { count: defects, trend },
      }),
    );
  }
  const uncorrected = device.scsi?.uncorrectedErrors;
  if (uncorrected) {
    findings.push(
      findingFor('smart.scsi-uncorrected-errors', drive, {
        detail: { count: uncorrected },
      }),
    );
  }
  return findings;
}

function ataErrorLogFindings(
  device: SmartDevice,
  drive: string,
  baseline: SmartBaseline | undefined,
): Finding[] {
  const count = device.errorLogCount;
  if (device.protocol !== 'ATA' || !count) return [];

  const trend = trendOf('ata.error_log', count, baseline);
  return [
    findingFor('smart.error-log-entries', drive, {
      severity: trend === 'grown' ? 'warning' : 'info',
      detail: { count, trend },
    }),
  ];
}

function temperatureFindings(device: SmartDevice, drive: string): Finding[] {
  const t = device.temperature;
  if (device.protocol === 'NVMe' || t === undefined) return [];
  if (t < smartJudgeDefaults.maxTemperatureC) return [];
  return [
    findingFor('smart.temperature-high', drive, { detail: { temperature: t } }),
  ];
}

/**
 * Facts the exit status states that the output did not show (a truncated
 * report, or a run without the logs). Bit 2 alone means partial data.
 */
function exitFindings(
  device: SmartDevice,
  drive: string,
  found: readonly Finding[],
): Finding[] {
  if (device.exitStatus === undefined) return [];
  const bits = decodeExitStatus(device.exitStatus);
  const has = (code: string) => found.some((f) => f.code === code);
  const failingExplained =
    has('smart.drive-failing') || warningByteExplainsFailure(device.nvme);
  const detail = { exitStatus: device.exitStatus };

  const add: [boolean, string, Parameters<typeof findingFor>[2]][] = [
    [bits.diskFailing && !failingExplained, 'smart.drive-failing', { detail }],
    [
      bits.prefailNow && !has('smart.attribute-below-threshold'),
      'smart.attribute-below-threshold',
      { detail },
    ],
    [
      bits.thresholdPast && !has('smart.attribute-failed-in-past'),
      'smart.attribute-failed-in-past',
      { detail },
    ],
    [
      bits.errorLog && !has('smart.error-log-entries'),
      'smart.error-log-entries',
      { detail },
    ],
    [
      bits.selfTestErrors && !has('smart.self-test-failed'),
      'smart.self-test-failed',
      { severity: 'warning', detail },
    ],
    [bits.commandFailed, 'smart.partial-data', { detail }],
  ];
  return add
    .filter(([when]) => when)
    .map(([, code, o]) => findingFor(code, drive, o));
}

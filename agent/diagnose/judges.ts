import { DEFAULT_POLICY, type Finding, type Policy } from '../../core/index.js';
import {
  findingFor,
  type Judgement,
  judgementOf,
} from '../../core/judgement.js';
import { judgeAntivirus, parseAntivirus } from '../checks/antivirus/index.js';
import {
  dfRowsToVolumes,
  judgeDiskSpace,
  parseDfListing,
  parseWindowsVolumes,
  toMonitoredVolumes,
} from '../checks/disk-space/index.js';
import {
  judgeSmartAttempts,
  judgeSmartDevices,
  parseSmartctlJson,
  parseSmartctlText,
  type SmartBaseline,
} from '../checks/smart/index.js';
import { judgeWindowsUpdate } from '../checks/windows-update/index.js';
import type { DiagnoseKind } from './detect-kind.js';

export interface JudgeContext {
  now: Date;
  policy: Policy;
  baseline?: SmartBaseline;
}

type KindJudge = (text: string, ctx: JudgeContext) => Judgement;

/** Output of the right kind that the parser could not read: unknown. */
function unparsed(kind: DiagnoseKind, reason: string): Judgement {
  const finding: Finding = findingFor('agent.output-unparsed', kind, {
    severity: 'info',
    detail: { reason },
  });
  return judgementOf([finding], 'unknown');
}

const looksLikeJson = (text: string) => /^\s*[[{]/.test(text);

function judgeSmartText(text: string, ctx: JudgeContext): Judgement {
  if (looksLikeJson(text)) {
    const parsed = parseSmartctlJson(text);
    return parsed.ok
      ? judgeSmartDevices(parsed.devices, ctx.baseline)
      : unparsed('smart', parsed.reason);
  }
  const attempts = parseSmartctlText(text);
  return attempts.length > 0
    ? judgeSmartAttempts(attempts, ctx.baseline)
    : unparsed('smart', 'no smartctl report in the text');
}

function judgeAntivirusText(text: string, ctx: JudgeContext): Judgement {
  const parsed = parseAntivirus(text);
  return parsed.ok
    ? judgeAntivirus(parsed.snapshot, { now: ctx.now })
    : unparsed('antivirus', parsed.reason);
}

function judgeDiskText(text: string, ctx: JudgeContext): Judgement {
  const df = parseDfListing(text);
  if (df.unknownHeaders.length > 0) {
    const header = df.unknownHeaders[0];
    return unparsed(
      'disk',
      `df table of unknown kind (neither space nor inodes): "${header}"`,
    );
  }

  const probed =
    df.rows.length > 0
      ? dfRowsToVolumes(df.rows)
      : toMonitoredVolumes(parseWindowsVolumes(text));
  if (probed.volumes.length === 0 && probed.skipped.length === 0) {
    return unparsed('disk', 'no volume listing in the text');
  }
  if (probed.volumes.length === 0) {
    const skipped = probed.skipped.map((s) => `${s.id} (${s.reason})`);
    return unparsed(
      'disk',
      `no monitored volume in the listing; skipped: ${skipped.join(', ')}`,
    );
  }

  const policy = ctx.policy.disk ?? DEFAULT_POLICY.disk;
  const judged = judgeDiskSpace(probed.volumes, policy);
  const sizeless = probed.volumes.every((v) => v.totalBytes === 0);
  if (!sizeless || judged.findings.length > 0) return judged;
  return unparsed(
    'disk',
    'the listing gives no volume sizes (a df -i table on its own)',
  );
}

export const JUDGES: Record<DiagnoseKind, KindJudge> = {
  smart: judgeSmartText,
  antivirus: judgeAntivirusText,
  disk: judgeDiskText,
  'windows-update': (text) => judgeWindowsUpdate(text),
};

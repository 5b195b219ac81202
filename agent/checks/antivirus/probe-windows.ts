import type { Finding, Verdict } from '../../../core/index.js';
import { findingFor } from '../../../core/judgement.js';
import { worseVerdict } from '../../../core/verdict.js';
import { ProbeError } from '../../errors.js';
import type { CommandRunner } from '../../platform/command.js';
import { runPowerShell } from '../../platform/windows/powershell.js';
import type { Check, CheckResult } from '../types.js';
import { judgeAntivirus } from './judge.js';
import type { AvSnapshot, SecurityCenter } from './types.js';
import { windowsAvData } from './windows-data.js';
import {
  type Read,
  readDefender,
  readSecurityCenter,
  readVendorSignatures,
} from './windows-read.js';
import {
  MP_STATUS_SCRIPT,
  SECURITY_CENTER_SCRIPT,
  vendorSignatureScript,
} from './windows-scripts.js';

export const windowsAvProbeDefaults = {
  /** Limit per PowerShell script, ms; WMI can stall. @default 60_000 */
  timeoutMs: 60_000,
};

export type WindowsAvCheckOptions = Partial<typeof windowsAvProbeDefaults>;

/** What the three scripts said, and what went wrong on the way. */
export interface WindowsAvProbe {
  snapshot: AvSnapshot;
  /** SecurityCenter2 answered (present or absent on a server). */
  securityCenterKnown: boolean;
  /** Why Get-MpComputerStatus gave no status (Defender removed, say). */
  defenderError?: string;
  problems: Finding[];
}

/**
 * The Windows antivirus check:
 *
 *   Get-MpComputerStatus ─▶ SecurityCenter2 AntiVirusProduct
 *     ─▶ vendor signature timestamps (third-party product or no SC2)
 *     ─▶ judgeAntivirus
 *
 * A script that fails is a finding, never a crash; when neither Defender
 * nor SecurityCenter2 could confirm protection the verdict is unknown.
 */
export function createWindowsAntivirusCheck(
  options: WindowsAvCheckOptions = {},
): Check {
  const config = { ...windowsAvProbeDefaults, ...options };
  return {
    kind: 'antivirus',
    async run(ctx) {
      const probe = await probeWindowsAntivirus(ctx.run, config.timeoutMs);
      return judgeWindowsProbe(probe, ctx.now());
    },
  };
}

export async function probeWindowsAntivirus(
  run: CommandRunner,
  timeoutMs: number,
): Promise<WindowsAvProbe> {
  const problems: Finding[] = [];
  const script = (name: string, text: string) =>
    runScript(run, name, text, timeoutMs, problems);

  const snapshot: AvSnapshot = {};
  const defender = await script('Get-MpComputerStatus', MP_STATUS_SCRIPT);
  const mp = defender === undefined ? undefined : readDefender(defender);
  if (mp?.ok) snapshot.defender = mp.value;

  const scText = await script('root/SecurityCenter2', SECURITY_CENTER_SCRIPT);
  const sc = scText === undefined ? undefined : readSecurityCenter(scText);
  if (sc?.ok) snapshot.securityCenter = sc.value;
  if (sc && !sc.ok) problems.push(unparsed('root/SecurityCenter2', sc));

  if (needsVendorTimestamps(snapshot.securityCenter)) {
    const vendor = await script('vendor signatures', vendorSignatureScript());
    const found = vendor === undefined ? [] : readVendorSignatures(vendor);
    if (found.length > 0) snapshot.vendorSignatures = found;
  }
  return {
    snapshot,
    securityCenterKnown: sc?.ok === true,
    ...(mp && !mp.ok ? { defenderError: mp.error.slice(0, 200) } : {}),
    problems,
  };
}

/** Only a third party (or a server without SC2) has its own timestamp. */
function needsVendorTimestamps(sc: SecurityCenter | undefined) {
  if (!sc) return false;
  if (!sc.available) return true;
  return sc.products.some(
    (p) => !p.state.microsoftProduct && p.installed !== false,
  );
}

export function judgeWindowsProbe(
  probe: WindowsAvProbe,
  now: Date,
): CheckResult {
  const judged = judgeAntivirus(probe.snapshot, { now });
  const defenderActive = probe.snapshot.defender?.mode === 'normal';
  // Without SecurityCenter2's answer, only an active Defender confirms
  // protection; an empty snapshot must not read as "ok".
  const confirmed = probe.securityCenterKnown || defenderActive;
  const verdict: Verdict = confirmed
    ? judged.verdict
    : worseVerdict(judged.verdict, 'unknown');

  return {
    verdict,
    findings: [...judged.findings, ...probe.problems].slice(0, 50),
    data: windowsAvData(probe.snapshot, probe.defenderError),
  };
}

async function runScript(
  run: CommandRunner,
  name: string,
  script: string,
  timeoutMs: number,
  problems: Finding[],
): Promise<string | undefined> {
  try {
    return await runPowerShell(run, script, { timeoutMs });
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    problems.push(
      findingFor(`agent.${error.code}`, name, {
        severity: 'info',
        detail: error.detail,
      }),
    );
    return undefined;
  }
}

function unparsed(subject: string, read: Read<unknown>): Finding {
  return findingFor('agent.output-unparsed', subject, {
    severity: 'info',
    detail: { reason: read.ok ? 'unreadable' : read.error.slice(0, 200) },
  });
}

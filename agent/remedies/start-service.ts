import type { RemedyPlatform } from '../../core/index.js';
import {
  psQuote,
  remedyScript,
  runRemedyScript,
} from './powershell-outcome.js';
import { serviceEntry } from './services.js';
import type {
  Refusal,
  RemedyContext,
  RemedyImplementation,
  RemedyOutcome,
} from './types.js';

interface ServiceParams {
  service: string;
}

/**
 * Starts a service and makes it start again: on Linux `systemctl enable
 * --now`, on Windows Start-Service after restoring a Disabled start type to
 * the clean-install one. Starting a running service changes nothing, so a
 * rerun after a restart is harmless.
 */
export const startService: RemedyImplementation<ServiceParams> = {
  name: 'start-service',
  platforms: ['win32', 'linux'],
  idempotent: true,
  recheck: (params) =>
    serviceEntry('win32', params.service)?.recheck ??
    serviceEntry('linux', params.service)?.recheck,
  refuse: refuseUnlisted,
  run: (ctx, params) =>
    ctx.platform === 'win32'
      ? startWindowsService(ctx, params.service)
      : startLinuxUnit(ctx, params.service),
};

export function refuseUnlisted(
  params: ServiceParams,
  platform: RemedyPlatform,
): Refusal | undefined {
  if (serviceEntry(platform, params.service)) return undefined;
  return {
    reason: 'not-allowed',
    message: `service ${params.service} is not on this agent's service list`,
  };
}

/** The Windows script, exported so that tests can assert it exactly. */
export function startServiceScript(service: string): string {
  const name = psQuote(service);
  const restore = serviceEntry('win32', service)?.startType ?? 'Manual';
  return remedyScript(
    [
      `$before = (Get-Service -Name ${name}).StartType`,
      "if ($before -eq 'Disabled') {",
      `  Set-Service -Name ${name} -StartupType ${restore}`,
      '}',
      `Start-Service -Name ${name}`,
      `$svc = Get-Service -Name ${name}`,
      '[pscustomobject]@{',
      "  ok = ($svc.Status -eq 'Running')",
      '  status = [string]$svc.Status',
      '  startType = [string]$svc.StartType',
      '  startTypeBefore = [string]$before',
      '} | ConvertTo-Json -Compress',
    ].join('\n'),
  );
}

function startWindowsService(
  ctx: RemedyContext,
  service: string,
): Promise<RemedyOutcome> {
  return runRemedyScript(ctx, startServiceScript(service), (f) =>
    f.ok
      ? `${service} is running (start type ${f.startType})`
      : `${service} did not start: ${f.message ?? f.status}`,
  );
}

async function startLinuxUnit(
  ctx: RemedyContext,
  unit: string,
): Promise<RemedyOutcome> {
  const options = { timeoutMs: ctx.timeoutMs };
  const enable = await ctx.run('systemctl', ['enable', '--now', unit], options);
  const state = await ctx.run('systemctl', ['is-active', unit], options);
  const active = state.stdout.trim();

  const ok = enable.exitCode === 0 && active === 'active';
  const why = enable.spawnError ?? lastLine(enable.stderr) ?? active;
  return {
    ok,
    summary: ok
      ? `${unit} is active and enabled`
      : `${unit} not started: ${why}`,
    details: { exitCode: enable.exitCode ?? -1, state: active || 'unknown' },
  };
}

function lastLine(text: string): string | undefined {
  return text.trim().split('\n').at(-1) || undefined;
}

import {
  psQuote,
  remedyScript,
  runRemedyScript,
} from './powershell-outcome.js';
import { serviceEntry } from './services.js';
import { refuseUnlisted } from './start-service.js';
import type { RemedyImplementation } from './types.js';

interface StartupParams {
  service: string;
  startup: 'automatic' | 'manual' | 'disabled';
}

const START_TYPES = {
  automatic: 'Automatic',
  manual: 'Manual',
  disabled: 'Disabled',
} as const;

/**
 * Sets the start type of a listed Windows service (wuauserv back to Manual
 * after a debloat tool disabled it). The agent never disables: a job that
 * asks it to turn off updates or protection is refused.
 */
export const setServiceStartup: RemedyImplementation<StartupParams> = {
  name: 'set-service-startup',
  platforms: ['win32'],
  idempotent: true,
  recheck: (params) => serviceEntry('win32', params.service)?.recheck,
  refuse: (params, platform) => {
    if (params.startup === 'disabled') {
      return {
        reason: 'not-allowed',
        message: 'the agent does not disable services',
      };
    }
    return refuseUnlisted(params, platform);
  },
  run: (ctx, params) =>
    runRemedyScript(ctx, setStartupScript(params), (f) =>
      f.ok
        ? `${params.service} start type is ${f.startType}`
        : `${params.service} start type not set: ${f.message ?? f.startType}`,
    ),
};

export function setStartupScript(params: StartupParams): string {
  const name = psQuote(params.service);
  const type = START_TYPES[params.startup];
  return remedyScript(
    [
      `Set-Service -Name ${name} -StartupType ${type}`,
      `$svc = Get-Service -Name ${name}`,
      '[pscustomobject]@{',
      `  ok = ([string]$svc.StartType -eq '${type}')`,
      '  startType = [string]$svc.StartType',
      '  status = [string]$svc.Status',
      '} | ConvertTo-Json -Compress',
    ].join('\n'),
  );
}

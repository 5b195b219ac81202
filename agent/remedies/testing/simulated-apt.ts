import { DEFAULT_POLICY } from '../../../core/policy.js';
import { silentLogger } from '../../logger.js';
import { runCommand } from '../../platform/command.js';
import { createInstallUpdates } from '../install-updates.js';
import type { RemedyOutcome } from '../types.js';

/**
 * The install-updates remedy on this machine's real apt, simulated
 * (`apt-get -s`: apt says what it would do and changes nothing), for tests
 * that need apt's own answer about the packages asked for.
 */
export function simulateAptInstall(updates: string[]): Promise<RemedyOutcome> {
  const remedy = createInstallUpdates({
    apt: { simulate: true, rebootFlag: '/nonexistent/reboot-required' },
  });
  return remedy.run(
    {
      platform: 'linux',
      run: runCommand,
      logger: silentLogger,
      now: () => new Date(),
      policy: DEFAULT_POLICY,
      checks: [],
      timeoutMs: 120_000,
    },
    { updates, windowEndsAt: new Date(Date.now() + 3_600_000).toISOString() },
  );
}

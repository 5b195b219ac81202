import { readFileSync } from 'node:fs';
import { scriptRunner } from './recorded-windows.js';

/**
 * A Windows laptop for Patch Doctor's end-to-end test, answered at the
 * PowerShell boundary from recorded outputs: the assessment in the shape
 * of agent/checks/patches/fixtures/wua-three-missing.json, the installs
 * from agent/remedies/fixtures (see its README for where each is written
 * from). The machine moves through the states a real one would:
 *
 *   missing ──install──▶ failed (0x800F0922 in the history)
 *   failed ──retry──▶ pending-restart (success in the history, restart due)
 *   pending-restart ──restart (the test)──▶ restarted (installed)
 */
export const PATCH_KB = 'KB5053602';
export const PATCH_TITLE =
  '2026-03 Cumulative Update for Windows 11 Version 23H2 for x64-based ' +
  `Systems (${PATCH_KB})`;

type Phase = 'missing' | 'failed' | 'pending-restart' | 'restarted';

const read = (path: string) =>
  readFileSync(new URL(path, import.meta.url), 'utf8');
const install = (name: string) => read(`../../agent/remedies/fixtures/${name}`);
const WUA = JSON.parse(
  read('../../agent/checks/patches/fixtures/wua-three-missing.json'),
);

const UPDATE = {
  Title: PATCH_TITLE,
  KB: ['5053602'],
  Classification: 'Security Updates',
  MsrcSeverity: 'Critical',
  MaxDownloadSize: 813_694_976,
  RebootBehavior: 1,
  LastDeploymentChangeTime: '2026-03-11T17:00:00.0000000Z',
};
const FAILED = {
  Title: PATCH_TITLE,
  Date: '2026-03-18T02:14:07.0000000Z',
  Operation: 1,
  ResultCode: 4,
  HResult: 0x800f0922 - 2 ** 32,
};
const SUCCEEDED = {
  ...FAILED,
  Date: '2026-03-18T03:41:52.0000000Z',
  ResultCode: 2,
  HResult: 0,
};

const ASSESSMENTS: Record<Phase, object> = {
  missing: { Updates: [UPDATE], History: [], RebootRequired: false },
  failed: { Updates: [UPDATE], History: [FAILED], RebootRequired: false },
  'pending-restart': {
    Updates: [UPDATE],
    History: [SUCCEEDED, FAILED],
    RebootRequired: true,
  },
  restarted: {
    Updates: [],
    History: [SUCCEEDED, FAILED],
    RebootRequired: false,
  },
};

export function patchMachine() {
  const state = { phase: 'missing' as Phase, restartsScheduled: 0 };
  const installs: Record<Phase, [string, Phase]> = {
    missing: ['wua-install-0x800f0922.json', 'failed'],
    failed: ['wua-install-reboot-required.json', 'pending-restart'],
    'pending-restart': ['wua-install-reboot-required.json', 'pending-restart'],
    restarted: ['wua-install-after-restart.json', 'restarted'],
  };
  const runner = scriptRunner([
    [
      'Microsoft.Update.UpdateColl',
      () => {
        const [file, next] = installs[state.phase];
        state.phase = next;
        return install(file);
      },
    ],
    [
      'shutdown.exe /r',
      () => {
        state.restartsScheduled++;
        return '{"ok":true,"exitCode":0}';
      },
    ],
    [
      'Get-Partition',
      () =>
        '{"ok":true,"espFreeBytes":494927872,"recoveryFreeBytes":385875968,' +
        '"tempFiles":212}',
    ],
    ['GetLastInputInfo', () => '{"IdleSeconds":3600}'],
    [
      'Microsoft.Update.Session',
      () => JSON.stringify({ ...WUA, ...ASSESSMENTS[state.phase] }),
    ],
  ]);
  return { ...runner, state };
}

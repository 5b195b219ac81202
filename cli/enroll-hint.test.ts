import { describe, expect, it } from 'vitest';
import { agentCommandHint, enrolledStateDir } from './enroll-hint.js';

const linux = { cwd: '/home/me/upkeep', platform: 'linux' } as const;

describe('agentCommandHint', () => {
  it('gives the agent a state folder of its own thing under the stack state', () => {
    const state = enrolledStateDir('/home/me/upkeep/.state', 'my-laptop');

    expect(
      agentCommandHint('/home/me/upkeep/bundle-my-laptop', state, linux),
    ).toBe(
      'next: npx upkeep agent --bundle bundle-my-laptop ' +
        '--state .state/agents/my-laptop',
    );
  });

  it('keeps a state folder outside the working directory absolute', () => {
    const state = enrolledStateDir('/srv/upkeep-state', 'my-laptop');

    expect(agentCommandHint('/home/me/upkeep/b', state, linux)).toBe(
      'next: npx upkeep agent --bundle b ' +
        '--state /srv/upkeep-state/agents/my-laptop',
    );
  });

  it('quotes paths the shell would split, for sh and for Windows', () => {
    const state = enrolledStateDir('/mnt/My State', 'pc-1');
    const windows = { cwd: 'C:\\Users\\me', platform: 'win32' } as const;

    expect(agentCommandHint("/tmp/it's here/b", state, linux)).toBe(
      "next: npx upkeep agent --bundle '/tmp/it'\\''s here/b' " +
        "--state '/mnt/My State/agents/pc-1'",
    );
    expect(
      agentCommandHint('C:\\Temp\\bundle pc-1', 'C:\\Temp\\state', windows),
    ).toBe(
      'next: npx upkeep agent --bundle "C:\\Temp\\bundle pc-1" ' +
        '--state C:\\Temp\\state',
    );
  });
});

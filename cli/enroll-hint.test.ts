import { describe, expect, it } from 'vitest';
import { agentCommandHint, enrolledStateDir } from './enroll-hint.js';

const linux = { cwd: '/home/me/upkeep', platform: 'linux' } as const;
const windows = { cwd: 'C:\\Users\\me', platform: 'win32' } as const;

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

    expect(agentCommandHint("/home/me/it's here/b", state, linux)).toBe(
      "next: npx upkeep agent --bundle '/home/me/it'\\''s here/b' " +
        "--state '/mnt/My State/agents/pc-1'",
    );
    expect(
      agentCommandHint('C:\\Data\\bundle pc-1', 'C:\\Data\\state', windows),
    ).toBe(
      'next: npx upkeep agent --bundle "C:\\Data\\bundle pc-1" ' +
        '--state C:\\Data\\state',
    );
  });

  it('leaves %, a comma and @ plain for sh, which expands none of them', () => {
    const hint = agentCommandHint('/home/me/a,b@c%d', '/home/me/s', linux);

    expect(hint).toBe(
      'next: npx upkeep agent --bundle /home/me/a,b@c%d --state /home/me/s',
    );
  });

  // Oracle: cmd expands %NAME%, PowerShell makes `a,b` an array and splats
  // `@name`; inside double quotes PowerShell still expands `$name` and
  // reads a backtick as an escape, so those take single quotes.
  it.each([
    ['a percent sign', 'D:\\%USERPROFILE%\\b', '"D:\\%USERPROFILE%\\b"'],
    ['a comma', 'D:\\a,b', '"D:\\a,b"'],
    ['a leading @', '@bundles', '"@bundles"'],
    ['an @ inside', 'D:\\me@corp', '"D:\\me@corp"'],
    ['a single quote', "D:\\O'Brien", '"D:\\O\'Brien"'],
    ['a dollar sign', 'D:\\$env\\b', "'D:\\$env\\b'"],
    ['a backtick', 'D:\\a`b', "'D:\\a`b'"],
    ['a dollar sign and a quote', "D:\\O'Brien$", "'D:\\O''Brien$'"],
  ])(
    'quotes a Windows path with %s for PowerShell and cmd',
    (_, path, word) => {
      expect(agentCommandHint(path, 'C:\\s', windows)).toBe(
        `next: npx upkeep agent --bundle ${word} --state C:\\s`,
      );
    },
  );
});

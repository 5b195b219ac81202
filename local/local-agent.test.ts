import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultThingName } from '../agent/identity.js';
import { THING_MARKER_FILE } from '../agent/state/thing-binding.js';
import { localAgentThingName, startLocalAgent } from './local-agent.js';
import { tempStateDir } from './test-support.js';

describe('the local stack agent', () => {
  it('is named after the host with -local, apart from upkeep agent', () => {
    expect(localAgentThingName('vm')).toBe('vm-local');
    expect(localAgentThingName()).toBe(`${defaultThingName()}-local`);
    expect(localAgentThingName('a'.repeat(128))).toHaveLength(128);
  });

  it('refuses a state folder bound to another thing', async () => {
    const stateDir = path.join(tempStateDir(), 'agent');
    await fs.mkdir(stateDir, { recursive: true });
    await fs.writeFile(path.join(stateDir, THING_MARKER_FILE), 'my-laptop\n');

    await expect(
      startLocalAgent({ brokerUrl: 'mqtt://127.0.0.1:1', stateDir }),
    ).rejects.toMatchObject({ code: 'state-folder-bound' });
    expect(await fs.readdir(stateDir)).toEqual([THING_MARKER_FILE]);
  });
});

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bindStateFolder, THING_MARKER_FILE } from './thing-binding.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

async function tempDir() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'upkeep-bind-'));
  dirs.push(dir);
  return path.join(dir, 'agent');
}

describe('bindStateFolder', () => {
  it('writes the thing name on first use and accepts it again', async () => {
    const dir = await tempDir();

    await bindStateFolder(dir, 'vm');
    await bindStateFolder(dir, 'vm');

    const marker = await fs.readFile(path.join(dir, THING_MARKER_FILE), 'utf8');
    expect(marker).toBe('vm\n');
  });

  it('refuses a folder bound to another thing', async () => {
    const dir = await tempDir();
    await bindStateFolder(dir, 'vm');

    await expect(bindStateFolder(dir, 'my-laptop')).rejects.toMatchObject({
      code: 'state-folder-bound',
      message: expect.stringContaining('belongs to thing "vm"'),
    });
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimStateDir, stateLayout } from './state-dir.js';
import { tempStateDir } from './test-support.js';

const lockOf = (root: string) => join(root, 'upkeep-local.pid');

describe('claimStateDir', () => {
  it('creates the part folders and writes this process id', () => {
    const layout = stateLayout(join(tempStateDir(), 'nested'));

    const release = claimStateDir(layout);

    for (const dir of [layout.dynamo, layout.sqs, layout.agent]) {
      expect(existsSync(dir)).toBe(true);
    }
    expect(readFileSync(lockOf(layout.root), 'utf8')).toBe(`${process.pid}\n`);
    release();
    expect(existsSync(lockOf(layout.root))).toBe(false);
  });

  it('refuses a folder another running process holds', () => {
    const layout = stateLayout(tempStateDir());
    writeFileSync(lockOf(layout.root), `${process.ppid}\n`);

    expect(() => claimStateDir(layout)).toThrow(
      expect.objectContaining({ code: 'state-in-use' }),
    );
  });

  it('takes over the lock of a process that has exited', () => {
    const layout = stateLayout(tempStateDir());
    const exited = spawnSync(process.execPath, ['-e', '0']);
    writeFileSync(lockOf(layout.root), `${exited.pid}\n`);

    const release = claimStateDir(layout);

    expect(readFileSync(lockOf(layout.root), 'utf8')).toBe(`${process.pid}\n`);
    release();
  });

  it('refuses a folder this process holds until it is released', () => {
    const layout = stateLayout(tempStateDir());
    const release = claimStateDir(layout);

    expect(() => claimStateDir(layout)).toThrow(/in use/);
    release();
    claimStateDir(layout)();
  });
});

import { describe, expect, it } from 'vitest';
import { INODE_COUNT_COMMAND } from './disk.js';
import { CATALOGUE } from './index.js';

describe('disk catalogue chains', () => {
  it('starts the inode chain with a ticket that finds the big-count directories', () => {
    const chain = CATALOGUE.get('disk.inodes-exhausted')?.remedies.any ?? [];

    expect(chain.map((s) => s.remedy)).toEqual([
      'find-inode-heavy-dirs-ticket',
      'cleanup',
    ]);
    expect(chain[0]?.params).toEqual({ command: INODE_COUNT_COMMAND });
    expect(INODE_COUNT_COMMAND).toBe('du --inodes -x -d 3 / | sort -n | tail');
  });
});

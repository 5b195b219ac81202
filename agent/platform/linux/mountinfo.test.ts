import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMountInfo } from './mountinfo.js';

describe('parseMountInfo', () => {
  it('reads the fields around the optional-field separator', () => {
    const line =
      '36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:7 - ext3 /dev/root rw';

    expect(parseMountInfo(line)).toEqual([
      {
        mountId: 36,
        parentId: 35,
        major: 98,
        minor: 0,
        root: '/mnt1',
        mountPoint: '/mnt2',
        options: ['rw', 'noatime'],
        fsType: 'ext3',
        source: '/dev/root',
      },
    ]);
  });

  it('decodes the octal escapes of spaces and backslashes', () => {
    const line = '40 27 8:4 / /srv/my\\040data\\134x rw - xfs /dev/sda4 rw';

    expect(parseMountInfo(line)[0]?.mountPoint).toBe('/srv/my data\\x');
  });

  it('skips lines without the separator or a device number', () => {
    const text = ['garbage', '1 2 x:y / / rw - ext4 /dev/sda rw', ''].join(
      '\n',
    );

    expect(parseMountInfo(text)).toEqual([]);
  });

  it('reads the mount table of this process, root included', () => {
    const entries = parseMountInfo(
      readFileSync('/proc/self/mountinfo', 'utf8'),
    );

    expect(entries.length).toBeGreaterThan(0);
    expect(entries.map((e) => e.mountPoint)).toContain('/');
  });
});

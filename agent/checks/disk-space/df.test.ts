import { describe, expect, it } from 'vitest';
import { readCase } from '../../test-support/cases.js';
import { dfRowsToVolumes, parseDf } from './df.js';
import { judgeDiskSpace } from './judge.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

function judgeCase(name: string) {
  const probed = dfRowsToVolumes(parseDf(readCase(name)));
  return { ...probed, ...judgeDiskSpace(probed.volumes) };
}

describe('df case: Ubuntu with snap loop mounts', () => {
  const result = judgeCase('disk-df-snap-loops.txt');

  it('monitors /, /run and /dev/shm and nothing else', () => {
    expect(result.volumes.map((v) => v.id)).toEqual(['/run', '/', '/dev/shm']);
  });

  it('skips every snap loop image as a read-only image', () => {
    const snaps = result.skipped.filter((s) => s.id.startsWith('/snap/'));

    expect(snaps.map((s) => s.reason)).toEqual([
      'read-only-image',
      'read-only-image',
      'read-only-image',
    ]);
  });

  it('skips devtmpfs, cgroup and the per-user and lock tmpfs', () => {
    const reasons = Object.fromEntries(
      result.skipped.map((s) => [s.id, s.reason]),
    );

    expect(reasons).toMatchObject({
      '/dev': 'pseudo-file-system',
      '/sys/fs/cgroup': 'pseudo-file-system',
      '/run/lock': 'system-tmpfs',
      '/run/user/1000': 'system-tmpfs',
    });
  });

  it('reads the human sizes of / within rounding', () => {
    const root = result.volumes.find((v) => v.id === '/');

    expect(root).toMatchObject({ role: 'system', device: '/dev/xvda1' });
    expect(root?.totalBytes).toBe(Math.round(7.7 * GiB));
    expect(root?.availableBytes).toBe(Math.round(5.4 * GiB));
    expect(root?.freeBytes).toBe(Math.round(7.7 * GiB) - Math.round(2.4 * GiB));
  });

  it('judges the machine ok', () => {
    expect(result.verdict).toBe('ok');
    expect(result.findings).toEqual([]);
  });
});

describe('df case: NixOS root out of inodes', () => {
  const result = judgeCase('disk-df-inodes-exhausted.txt');

  it('monitors /dev/shm, /run, / and /boot', () => {
    expect(result.volumes.map((v) => v.id)).toEqual([
      '/dev/shm',
      '/run',
      '/',
      '/boot',
    ]);
  });

  it('merges the inode listing into the space listing of /', () => {
    const root = result.volumes.find((v) => v.id === '/');

    expect(root?.inodesFree).toBe(8);
    expect(root?.inodesTotal).toBe(Math.round(1.6 * MiB));
    expect(root?.availableBytes).toBe(Math.round(7.5 * GiB));
  });

  it('treats the 0 inodes of the vfat /boot as not applicable', () => {
    const boot = result.volumes.find((v) => v.id === '/boot');

    expect(boot).toMatchObject({ role: 'boot', totalBytes: 500 * MiB });
    expect(boot).not.toHaveProperty('inodesTotal');
  });

  it('judges / critical for inodes although bytes are free', () => {
    expect(result.verdict).toBe('critical');
    expect(result.findings.map((f) => [f.code, f.subject])).toEqual([
      ['disk.inodes-exhausted', '/'],
    ]);
  });
});

describe('parseDf', () => {
  it('reads a -B1 listing to the byte', () => {
    const text = [
      'Filesystem      1B-blocks        Used    Available Use% Mounted on',
      '/dev/vda    270553174016 24086491136 84857802752  23% /',
    ].join('\n');

    expect(parseDf(text)).toEqual([
      {
        source: '/dev/vda',
        mountPoint: '/',
        totalBytes: 270553174016,
        usedBytes: 24086491136,
        availableBytes: 84857802752,
      },
    ]);
  });

  it('reads the type column of df -T and a wrapped device name', () => {
    const text = [
      '$ df -kT',
      'Filesystem                  Type 1K-blocks  Used Available Use% Mounted on',
      '/dev/mapper/ubuntu--vg-ubuntu--lv',
      '                            ext4  10218772  8100 9669960   1% /srv/my data',
    ].join('\n');

    expect(parseDf(text)).toEqual([
      {
        source: '/dev/mapper/ubuntu--vg-ubuntu--lv',
        mountPoint: '/srv/my data',
        fsType: 'ext4',
        totalBytes: 10218772 * 1024,
        usedBytes: 8100 * 1024,
        availableBytes: 9669960 * 1024,
      },
    ]);
  });

  it('keeps two bind mounts of one device as one volume', () => {
    const text = [
      'Filesystem 1B-blocks Used Available Use% Mounted on',
      '/dev/sda2 1000 100 900 10% /srv/data',
      '/dev/sda2 1000 100 900 10% /',
    ].join('\n');

    const { volumes, skipped } = dfRowsToVolumes(parseDf(text));

    expect(volumes.map((v) => v.id)).toEqual(['/']);
    expect(skipped).toEqual([
      { id: '/srv/data', reason: 'same-device-as-shorter-mount' },
    ]);
  });

  it('skips NFS and SMB shares named only by their source', () => {
    const text = [
      'Filesystem 1K-blocks Used Available Use% Mounted on',
      'nas:/export/home 1000 10 990 1% /home/shared',
      '//server/share 1000 10 990 1% /mnt/share',
    ].join('\n');

    const { volumes, skipped } = dfRowsToVolumes(parseDf(text));

    expect(volumes).toEqual([]);
    expect(skipped.map((s) => s.reason)).toEqual([
      'network-file-system',
      'network-file-system',
    ]);
  });

  it('ignores lines that are not df rows', () => {
    expect(parseDf('bash: test.txt: No space left on device\n')).toEqual([]);
  });
});

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../platform/command.js';
import { probeLinuxVolumes } from './linux-probe.js';

/** `df -B1` of one mount: the figures the done-when compares with. */
async function dfBytes(mount: string) {
  const result = await runCommand('df', [
    '-B1',
    '--output=size,used,avail',
    mount,
  ]);
  const [size, used, avail] = (result.stdout.trim().split('\n')[1] ?? '')
    .trim()
    .split(/\s+/)
    .map(Number);
  return { size, used, avail };
}

describe('probeLinuxVolumes on this machine', () => {
  it('monitors the root file system', async () => {
    const { volumes } = await probeLinuxVolumes();

    expect(volumes.find((v) => v.id === '/')).toMatchObject({
      mount: '/',
      role: 'system',
    });
  });

  it('gives each volume the size and bytes df -B1 shows', async () => {
    const { volumes } = await probeLinuxVolumes();

    for (const volume of volumes) {
      const df = await dfBytes(volume.mount ?? '');
      // Other processes write while the test runs: free space may move by
      // a little between the two reads; the size may not.
      const slack = Math.max(64 * 1024 ** 2, volume.totalBytes * 0.005);
      expect(volume.totalBytes, volume.id).toBe(df.size);
      expect(
        Math.abs(volume.availableBytes - (df.avail ?? 0)),
      ).toBeLessThanOrEqual(slack);
      expect(
        Math.abs(volume.freeBytes - (volume.totalBytes - (df.used ?? 0))),
      ).toBeLessThanOrEqual(slack);
    }
  });

  it('matches fs.statfs of the same mount point', async () => {
    const { volumes } = await probeLinuxVolumes();
    const root = volumes.find((v) => v.id === '/');

    const stats = await fs.statfs('/');

    expect(root?.totalBytes).toBe(stats.blocks * stats.bsize);
    expect(root?.inodesTotal).toBe(stats.files);
  });

  it('monitors no pseudo file system', async () => {
    const { volumes, skipped } = await probeLinuxVolumes();

    expect(volumes.map((v) => v.fsType)).not.toContain('proc');
    expect(volumes.map((v) => v.fsType)).not.toContain('sysfs');
    expect(skipped).toContainEqual({
      id: '/proc',
      reason: 'pseudo-file-system',
    });
  });
});

describe('probeLinuxVolumes with a given mount table', () => {
  let dir = '';
  let result: Awaited<ReturnType<typeof probeLinuxVolumes>>;

  // A mount table naming real directories of a temp dir, so that statfs,
  // stat and the sysfs lookup run for real on each kind of mount.
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'upkeep-mounts-'));
    for (const sub of [
      'bind',
      'snap',
      'nfs',
      'ro',
      'usb',
      'layer',
      'my data',
    ]) {
      await fs.mkdir(path.join(dir, sub));
    }
    await fs.writeFile(path.join(dir, 'hosts'), '127.0.0.1 localhost\n');
    const usb = path.join(dir, 'sys/devices/usb1/block/sdb');
    await fs.mkdir(path.join(usb, 'sdb1'), { recursive: true });
    await fs.writeFile(path.join(usb, 'removable'), '1\n');
    await fs.mkdir(path.join(dir, 'sys/dev/block'), { recursive: true });
    await fs.symlink(
      path.join(usb, 'sdb1'),
      path.join(dir, 'sys/dev/block/8:17'),
    );

    const d = dir;
    const lines = [
      '22 1 0:21 / /proc rw,relatime - proc proc rw',
      '27 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw',
      `28 27 8:1 /srv ${d}/bind rw,relatime - ext4 /dev/sda1 rw`,
      `29 27 8:2 /etc/hosts ${d}/hosts rw - ext4 /dev/sda2 rw`,
      `30 27 8:3 / ${d}/gone rw - ext4 /dev/sda3 rw`,
      `31 27 7:0 / ${d}/snap ro - squashfs /dev/loop0 ro`,
      `32 27 0:50 / ${d}/nfs rw - nfs4 nas:/export rw`,
      '33 27 0:23 / /dev/shm rw - tmpfs tmpfs rw',
      '34 33 0:27 / /dev/shm rw - tmpfs tmpfs rw',
      `35 27 0:28 / ${d}/ro ro - tmpfs tmpfs ro,size=4k`,
      `36 27 8:17 / ${d}/usb rw - vfat /dev/sdb1 rw`,
      `37 27 0:40 / ${d}/layer rw - overlay overlay rw,lowerdir=/a`,
      `38 27 8:4 / ${d}/my\\040data rw - xfs /dev/sda4 rw`,
    ];
    await fs.writeFile(path.join(dir, 'mountinfo'), `${lines.join('\n')}\n`);

    result = await probeLinuxVolumes({
      mountInfoPath: path.join(dir, 'mountinfo'),
      sysfsRoot: path.join(dir, 'sys'),
    });
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('keeps /, the top /dev/shm and the volume with a space in its path', () => {
    expect(result.volumes.map((v) => [v.id, v.fsType, v.role])).toEqual([
      ['/', 'ext4', 'system'],
      ['/dev/shm', 'tmpfs', 'data'],
      [`${dir}/my data`, 'xfs', 'data'],
    ]);
  });

  it('names the reason for every mount it skips', () => {
    const reasons = Object.fromEntries(
      result.skipped.map((s) => [s.id.replace(dir, '<tmp>'), s.reason]),
    );

    expect(reasons).toEqual({
      '/proc': 'pseudo-file-system',
      '<tmp>/bind': 'same-device-as-shorter-mount',
      '<tmp>/hosts': 'single-file-bind-mount',
      '<tmp>/gone': 'statfs-failed',
      '<tmp>/snap': 'read-only-image',
      '<tmp>/nfs': 'network-file-system',
      '<tmp>/ro': 'system-tmpfs',
      '<tmp>/usb': 'removable-media',
      '<tmp>/layer': 'container-layer',
    });
  });

  it('reports an unreadable mount table as probe-failed', async () => {
    const missing = path.join(dir, 'no-such-mountinfo');

    await expect(
      probeLinuxVolumes({ mountInfoPath: missing }),
    ).rejects.toMatchObject({
      code: 'probe-failed',
      detail: { file: missing, error: 'ENOENT' },
    });
  });
});

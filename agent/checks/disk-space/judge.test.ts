import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, MB, type Volume } from '../../../core/index.js';
import { effectiveFloor, judgeDiskSpace } from './judge.js';

// Bases recorded in fixtures/cases: C: and the letterless partitions of
// disk-win32-volume-recovery-efi.txt, / of disk-df-inodes-exhausted.txt.
const windowsC: Volume = {
  id: '\\\\?\\Volume{603eeb71-3202-4b56-86e9-46e56b970dce}\\',
  mount: 'C:\\',
  fsType: 'NTFS',
  label: 'Windows',
  role: 'system',
  totalBytes: 510462619648,
  freeBytes: 271162552320,
  availableBytes: 271162552320,
};
const recovery: Volume = {
  id: '\\\\?\\Volume{f0e739ce-6c50-4844-9bb4-a02350322dcd}\\',
  fsType: 'NTFS',
  role: 'recovery',
  totalBytes: 986705920,
  freeBytes: 368488448,
  availableBytes: 368488448,
};
const esp: Volume = {
  id: '\\\\?\\Volume{d5cd7572-ce44-4bf9-96de-5ec615c704e1}\\',
  fsType: 'FAT32',
  label: 'BOOT',
  role: 'efi',
  totalBytes: 519045120,
  freeBytes: 472219648,
  availableBytes: 472219648,
};
const nixRoot: Volume = {
  id: '/',
  mount: '/',
  device: '/dev/sda2',
  fsType: 'unknown',
  role: 'system',
  totalBytes: 26843545600,
  freeBytes: 9663676416,
  availableBytes: 8053063680,
  inodesTotal: 1677722,
  inodesFree: 8,
};

const policy = DEFAULT_POLICY.disk;
const codes = (volumes: Volume[]) =>
  judgeDiskSpace(volumes).findings.map((f) => [f.code, f.subject]);

describe('judgeDiskSpace', () => {
  it('judges the recorded Windows volumes ok', () => {
    expect(judgeDiskSpace([windowsC, recovery, esp])).toEqual({
      verdict: 'ok',
      findings: [],
    });
  });

  it('raises below-floor, critical, under 200 MB available', () => {
    const full = { ...windowsC, availableBytes: 150 * MB, freeBytes: 150 * MB };

    const result = judgeDiskSpace([full, recovery]);

    expect(result.verdict).toBe('critical');
    expect(result.findings).toMatchObject([
      {
        code: 'disk.below-floor',
        severity: 'critical',
        subject: windowsC.id,
        detail: { mount: 'C:\\', availableBytes: 150 * MB },
      },
    ]);
  });

  it('raises low-percent, a warning, above the floor but under 10 %', () => {
    const low = { ...windowsC, availableBytes: 40 * 1024 * MB };

    const result = judgeDiskSpace([low]);

    expect(result.verdict).toBe('warning');
    expect(codes([low])).toEqual([['disk.low-percent', windowsC.id]]);
  });

  it('judges available bytes, not free bytes that only root may use', () => {
    const reserved = { ...nixRoot, inodesFree: 1_000_000, availableBytes: 0 };

    expect(codes([reserved])).toEqual([['disk.below-floor', '/']]);
  });

  it('judges each volume on its own, never on the sum', () => {
    const full = { ...nixRoot, id: '/var', mount: '/var', availableBytes: 0 };
    const roomy = { ...windowsC, inodesFree: undefined };

    expect(codes([roomy, full])).toContainEqual(['disk.below-floor', '/var']);
  });

  it('raises inodes-exhausted although gigabytes are available', () => {
    expect(codes([nixRoot])).toEqual([['disk.inodes-exhausted', '/']]);
    expect(judgeDiskSpace([nixRoot]).verdict).toBe('critical');
  });

  it('treats a file system without inodes as not applicable', () => {
    const vfat = { ...nixRoot, inodesTotal: undefined, inodesFree: undefined };

    expect(judgeDiskSpace([vfat]).verdict).toBe('ok');
  });

  it('judges the recovery partition by the WinRE floor only', () => {
    const small = { ...recovery, availableBytes: 200 * MB };
    // 20 % free would fail any percent rule; 300 MB is above the floor.
    const tight = {
      ...recovery,
      availableBytes: 300 * MB,
      totalBytes: 1500 * MB,
    };

    expect(codes([small])).toEqual([['disk.recovery-too-small', recovery.id]]);
    expect(codes([tight])).toEqual([]);
  });

  it('warns on an EFI partition nearly full, never on its percent', () => {
    const nearlyFull = { ...esp, availableBytes: 9 * MB };
    const ninetyPercentUsed = { ...esp, availableBytes: 52 * MB };

    expect(codes([nearlyFull])).toEqual([['disk.efi-nearly-full', esp.id]]);
    expect(judgeDiskSpace([nearlyFull]).verdict).toBe('warning');
    expect(codes([ninetyPercentUsed])).toEqual([]);
  });

  it('scales the floor down on a volume smaller than it', () => {
    // The 100 MB mount-point volume of the Windows 7 case at 86 % free.
    const mountTest = {
      ...windowsC,
      id: 'mount-test',
      role: 'data' as const,
      totalBytes: 101707776,
      availableBytes: 87314432,
    };
    const nearlyFull = { ...mountTest, availableBytes: 4 * MB };
    const lowish = { ...mountTest, availableBytes: 8 * MB };

    expect(codes([mountTest])).toEqual([]);
    expect(codes([nearlyFull])).toEqual([['disk.below-floor', 'mount-test']]);
    expect(codes([lowish])).toEqual([['disk.low-percent', 'mount-test']]);
  });

  it('lists the worst finding first', () => {
    const low = { ...windowsC, availableBytes: 40 * 1024 * MB };
    const full = { ...windowsC, id: 'D', mount: 'D:\\', availableBytes: 0 };

    expect(codes([low, full])).toEqual([
      ['disk.below-floor', 'D'],
      ['disk.low-percent', windowsC.id],
    ]);
  });

  it('says unknown when there is no volume to judge', () => {
    expect(judgeDiskSpace([]).verdict).toBe('unknown');
  });

  it('says unknown, not ok, for a volume without a size', () => {
    expect(judgeDiskSpace([{ ...windowsC, totalBytes: 0 }]).verdict).toBe(
      'unknown',
    );
  });

  it('applies a stricter policy when given one', () => {
    const strict = { ...policy, minFreePercent: 60 };

    const result = judgeDiskSpace([windowsC], strict);

    expect(result.findings.map((f) => f.code)).toEqual(['disk.low-percent']);
  });
});

describe('effectiveFloor', () => {
  it('is the policy floor on volumes of 4 GB and more', () => {
    expect(effectiveFloor(4 * 1024 * MB, policy)).toBe(200 * MB);
    expect(effectiveFloor(2 * 1024 ** 4, policy)).toBe(200 * MB);
  });

  it('is 5 % of the size below that', () => {
    expect(effectiveFloor(1000 * MB, policy)).toBe(50 * MB);
  });
});

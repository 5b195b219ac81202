import { describe, expect, it } from 'vitest';
import { ProbeError } from '../../errors.js';
import { parseWmicList } from '../../platform/windows/wmic-list.js';
import {
  machineSections,
  readCase,
  withoutNotes,
} from '../../test-support/cases.js';
import { judgeDiskSpace } from './judge.js';
import { parseWindowsVolumes, toMonitoredVolumes } from './windows-volumes.js';

function judgeListing(text: string) {
  const probed = toMonitoredVolumes(parseWindowsVolumes(text));
  return { ...probed, ...judgeDiskSpace(probed.volumes) };
}

const summary = (result: ReturnType<typeof judgeListing>) =>
  result.volumes.map((v) => [v.id, v.mount, v.role]);

const GUID = {
  c10: '\\\\?\\Volume{603eeb71-3202-4b56-86e9-46e56b970dce}\\',
  recovery: '\\\\?\\Volume{f0e739ce-6c50-4844-9bb4-a02350322dcd}\\',
  esp: '\\\\?\\Volume{d5cd7572-ce44-4bf9-96de-5ec615c704e1}\\',
  reserved: '\\\\?\\Volume{0a3e595a-00d7-11e3-86ca-806e6f6e6963}\\',
  mountTest: '\\\\?\\Volume{3941b056-a84c-11e5-9f02-080027439196}\\',
  c7: '\\\\?\\Volume{0a3e595b-00d7-11e3-86ca-806e6f6e6963}\\',
};

describe('Windows 10 with recovery and EFI partitions (wmic list)', () => {
  const result = judgeListing(readCase('disk-win32-volume-recovery-efi.txt'));

  it('keeps C: and both letterless partitions with their roles', () => {
    expect(summary(result)).toEqual([
      [GUID.c10, 'C:\\', 'system'],
      [GUID.recovery, undefined, 'recovery'],
      [GUID.esp, undefined, 'efi'],
    ]);
  });

  it('counts the logical disk C: once, through Win32_Volume', () => {
    expect(result.skipped).toEqual([
      { id: 'C:\\', reason: 'listed-by-win32-volume' },
    ]);
  });

  it('reads the sizes to the byte', () => {
    expect(result.volumes[1]).toMatchObject({
      fsType: 'NTFS',
      totalBytes: 986705920,
      freeBytes: 368488448,
      availableBytes: 368488448,
    });
    expect(result.volumes[2]).toMatchObject({ label: 'BOOT', fsType: 'FAT32' });
  });

  it('judges ok: no percent alert on the 63 %-used recovery partition', () => {
    expect(result.verdict).toBe('ok');
    expect(result.findings).toEqual([]);
  });
});

describe('Windows 7 and Server 2008 with odd drive types (wmic list)', () => {
  const [machineA = '', machineB = ''] = machineSections(
    readCase('disk-win32-logicaldisk-odd-types.txt'),
  );

  it('keeps System Reserved, the mount-point volume and C: on machine A', () => {
    const result = judgeListing(machineA);

    expect(summary(result)).toEqual([
      [GUID.reserved, undefined, 'boot'],
      [GUID.mountTest, 'C:\\MountedPoint\\Here\\', 'data'],
      [GUID.c7, 'C:\\', 'system'],
    ]);
  });

  it('skips floppy, CD and the HGFS share on machine A by DriveType', () => {
    const result = judgeListing(machineA);

    expect(result.skipped).toEqual([
      { id: 'A:\\', reason: 'removable-media' },
      { id: 'C:\\', reason: 'listed-by-win32-volume' },
      { id: 'D:\\', reason: 'listed-by-win32-volume' },
      { id: 'Z:\\', reason: 'network-drive' },
      { id: 'D:\\', reason: 'optical-drive' },
    ]);
  });

  it('keeps C: and D: on machine B and none of its network shares', () => {
    const result = judgeListing(machineB);

    expect(summary(result)).toEqual([
      ['C:', 'C:\\', 'data'],
      ['D:', 'D:\\', 'data'],
    ]);
    expect(result.skipped.map((s) => `${s.id} ${s.reason}`)).toEqual([
      'A:\\ removable-media',
      'E:\\ optical-drive',
      'J:\\ network-drive',
      'L:\\ network-drive',
      'Z:\\ network-drive',
    ]);
  });

  it('never reads an empty Size as 0 bytes', () => {
    const records = parseWindowsVolumes(machineA);
    const cd = records.find((r) => r.driveType === 5 && r.kind === 'volume');

    expect(cd).toBeDefined();
    expect(cd).not.toHaveProperty('capacity');
    expect(cd).not.toHaveProperty('freeSpace');
  });

  it('judges both machines ok', () => {
    expect(judgeListing(machineA).verdict).toBe('ok');
    expect(judgeListing(machineB).verdict).toBe('ok');
  });
});

describe('Get-CimInstance Win32_Volume JSON', () => {
  it('gives the same volumes as wmic for the recovery/EFI machine', () => {
    const json = withoutNotes(
      readCase('disk-win32-volume-recovery-efi.cim-json.txt'),
    );
    const wmic = readCase('disk-win32-volume-recovery-efi.txt');

    expect(judgeListing(json).volumes).toEqual(judgeListing(wmic).volumes);
  });

  it('keeps the mount-point volume and skips the empty CD on machine A', () => {
    const json = withoutNotes(
      readCase('disk-win32-logicaldisk-odd-types.machine-a.cim-json.txt'),
    );

    const result = judgeListing(json);

    expect(summary(result)).toEqual([
      [GUID.reserved, undefined, 'boot'],
      [GUID.mountTest, 'C:\\MountedPoint\\Here\\', 'data'],
      [GUID.c7, 'C:\\', 'system'],
    ]);
    expect(result.skipped).toEqual([{ id: 'D:\\', reason: 'optical-drive' }]);
  });

  it('reads a lone object, as ConvertTo-Json writes one instance', () => {
    const [first] = JSON.parse(
      withoutNotes(readCase('disk-win32-volume-recovery-efi.cim-json.txt')),
    );

    const result = judgeListing(JSON.stringify(first));

    expect(summary(result)).toEqual([[GUID.c10, 'C:\\', 'system']]);
  });
});

describe('Get-CimInstance Win32_LogicalDisk JSON', () => {
  it('reads the logical disks of machine B as wmic does', () => {
    // The recorded wmic values in ConvertTo-Json's types: numbers, or null
    // where wmic printed nothing.
    const [, machineB = ''] = machineSections(
      readCase('disk-win32-logicaldisk-odd-types.txt'),
    );
    const json = parseWmicList(machineB).map((disk) => ({
      ...disk,
      DriveType: Number(disk.DriveType),
      Size: disk.Size ? Number(disk.Size) : null,
      FreeSpace: disk.FreeSpace ? Number(disk.FreeSpace) : null,
    }));

    const result = judgeListing(JSON.stringify(json));

    expect(result).toEqual(judgeListing(machineB));
    expect(result.volumes.map((v) => v.id)).toEqual(['C:', 'D:']);
  });
});

describe('Get-Volume JSON', () => {
  const text = withoutNotes(
    readCase('disk-win32-volume-recovery-efi.get-volume-json.txt'),
  );

  it('keeps C:, the recovery and the EFI partitions', () => {
    expect(summary(judgeListing(text))).toEqual([
      [GUID.c10, 'C:\\', 'data'],
      [GUID.recovery, undefined, 'recovery'],
      [GUID.esp, undefined, 'efi'],
    ]);
    expect(judgeListing(text).verdict).toBe('ok');
  });

  it('reads the numeric DriveType and a char-code drive letter', () => {
    const raw = JSON.parse(text).map((v: Record<string, unknown>) => ({
      ...v,
      DriveType: 3,
      DriveLetter: v.DriveLetter === 'C' ? 67 : null,
    }));

    expect(summary(judgeListing(JSON.stringify(raw)))).toEqual(
      summary(judgeListing(text)),
    );
  });

  it('skips a removable volume named in text', () => {
    const [c] = JSON.parse(text);
    const usb = { ...c, DriveLetter: 'E', DriveType: 'Removable' };

    expect(judgeListing(JSON.stringify([usb])).skipped).toEqual([
      { id: 'E:\\', reason: 'removable-media' },
    ]);
  });
});

describe('parseWindowsVolumes', () => {
  it('rejects JSON that is cut off with output-unparsed', () => {
    const cut = '[{"DeviceID": "\\\\\\\\?\\\\Volume{';

    expect(() => parseWindowsVolumes(cut)).toThrow(ProbeError);
    expect(() => parseWindowsVolumes(cut)).toThrow(/not JSON/);
  });

  it('rejects an entry of an unknown shape', () => {
    expect(() => parseWindowsVolumes('[{"Foo": 1}]')).toThrow(
      /unknown volume entry shape/,
    );
  });

  it('returns nothing for text without volumes', () => {
    expect(parseWindowsVolumes('C:\\>wmic volume get /format:list\n')).toEqual(
      [],
    );
  });
});

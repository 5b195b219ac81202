import { describe, expect, it } from 'vitest';
import { readCase } from '../../test-support/cases.js';
import { parseWmicList } from './wmic-list.js';

describe('parseWmicList', () => {
  it('reads each blank-line separated block as one instance', () => {
    const instances = parseWmicList(
      readCase('disk-win32-volume-recovery-efi.txt'),
    );

    expect(instances).toHaveLength(4);
    expect(instances[0]).toMatchObject({
      Caption: 'C:\\',
      DriveLetter: 'C:',
      Capacity: '510462619648',
    });
    expect(instances[3]).toMatchObject({
      DeviceID: 'C:',
      Size: '510462619648',
    });
  });

  it('keeps empty values as empty strings, not zero', () => {
    const [floppy] = parseWmicList(
      readCase('disk-win32-logicaldisk-odd-types.txt'),
    );

    expect(floppy).toMatchObject({ DeviceID: 'A:', Size: '', FreeSpace: '' });
  });

  it('strips the CR CR LF line ends of redirected wmic output', () => {
    const text = 'DeviceID=C:\r\r\nSize=42\r\r\n\r\r\nDeviceID=D:\r\r\n';

    expect(parseWmicList(text)).toEqual([
      { DeviceID: 'C:', Size: '42' },
      { DeviceID: 'D:' },
    ]);
  });

  it('ends an instance at a line that is not Key=Value', () => {
    const text = 'A=1\nC:\\>wmic volume get /format:list\nB=2\n';

    expect(parseWmicList(text)).toEqual([{ A: '1' }, { B: '2' }]);
  });

  it('keeps an equals sign that is part of the value', () => {
    expect(parseWmicList('Label=a=b\n')).toEqual([{ Label: 'a=b' }]);
  });
});

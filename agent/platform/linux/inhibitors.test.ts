import { describe, expect, it } from 'vitest';
import { fixture, recordedOs } from '../../test-support/recorded-os.js';
import {
  idleBlockers,
  linuxPresenting,
  parseInhibitors,
} from './inhibitors.js';

// The fixtures are in the table layout `systemd-inhibit --list --no-pager`
// prints (systemd 252, Debian 12 with GNOME), written from its columns: a
// desk session, and the same with LibreOffice Impress showing slides.
const desk = fixture(import.meta.url, 'systemd-inhibit-list.desk.txt');
const slides = fixture(
  import.meta.url,
  'systemd-inhibit-list.presentation.txt',
);

describe('parseInhibitors', () => {
  it('reads every row by the header columns, spaces in WHO included', () => {
    const rows = parseInhibitors(slides);

    expect(rows).toHaveLength(6);
    expect(rows?.[2]).toEqual({
      who: 'GNOME Shell',
      uid: 1000,
      comm: 'gnome-shell',
      what: ['sleep'],
      why: 'GNOME needs to lock the screen',
      mode: 'delay',
    });
    expect(rows?.[3]?.what).toEqual([
      'handle-power-key',
      'handle-suspend-key',
      'handle-hibernate-key',
    ]);
  });

  it('reads "No inhibitors." as an empty list and noise as unknown', () => {
    expect(parseInhibitors('No inhibitors.\n')).toEqual([]);
    expect(parseInhibitors('Failed to connect to bus')).toBeUndefined();
  });
});

describe('idleBlockers', () => {
  it('counts a user program that blocks idle, not sleep or key locks', () => {
    const blockers = idleBlockers(parseInhibitors(slides) ?? []);

    expect(blockers.map((b) => b.who)).toEqual(['LibreOffice Impress']);
    expect(idleBlockers(parseInhibitors(desk) ?? [])).toEqual([]);
  });
});

describe('linuxPresenting', () => {
  it('says presenting, and by what, from logind', async () => {
    const os = recordedOs({ 'systemd-inhibit --list': { stdout: slides } });

    expect(await linuxPresenting(os.run, 1_000)).toEqual({
      presenting: true,
      by: ['LibreOffice Impress: Running a slide show'],
    });
  });

  it('is unknown where logind cannot be reached (this container)', async () => {
    const os = recordedOs({
      'systemd-inhibit': {
        exitCode: 1,
        stderr: 'Failed to connect to bus: No such file or directory',
      },
    });

    expect(await linuxPresenting(os.run, 1_000)).toEqual({});
  });
});

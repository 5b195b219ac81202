import { describe, expect, it } from 'vitest';
import { isInside, matchesName } from './expand.js';
import { platformRoots, type RootEnv } from './roots.js';
import {
  parseUpdateGuard,
  UPDATE_GUARD_SCRIPT,
  updateInFlight,
} from './update-guard.js';

const linux = (privileged: boolean): RootEnv => ({
  platform: 'linux',
  home: '/home/ann',
  privileged,
  env: {},
});

describe('platform root tables', () => {
  it('cleans every home and the shared temp folders as root on Linux', () => {
    const roots = platformRoots(linux(true));
    const paths = roots.map((r) => r.path);

    expect(paths).toContain('/home/*/.cache/thumbnails');
    expect(paths).toContain('/root/.cache/mozilla');
    expect(paths).toContain('/var/crash');
    expect(roots.find((r) => r.path === '/tmp')).toMatchObject({
      category: 'temp-system',
      ordinaryOwnersOnly: true,
    });
  });

  it("cleans only the agent's own home without root on Linux", () => {
    const paths = platformRoots(linux(false)).map((r) => r.path);

    expect(paths).toContain('/home/ann/.cache/google-chrome');
    expect(paths.some((p) => p.includes('*'))).toBe(false);
  });

  it('walks all Windows profiles as SYSTEM and guards the update cache', () => {
    const roots = platformRoots({
      platform: 'win32',
      home: 'C:\\Windows\\system32\\config\\systemprofile',
      privileged: true,
      env: { SystemRoot: 'C:\\Windows', SystemDrive: 'C:' },
    });
    const byPath = new Map(roots.map((r) => [r.path, r]));

    expect(byPath.get('C:\\Windows\\Temp')?.category).toBe('temp-system');
    expect(byPath.get('C:\\Windows\\SoftwareDistribution\\Download')).toEqual({
      category: 'update-cache',
      path: 'C:\\Windows\\SoftwareDistribution\\Download',
      guard: 'no-update-in-flight',
    });
    expect(byPath.has('C:\\Users\\*\\AppData\\Local\\Temp')).toBe(true);
    expect(
      byPath.get(
        'C:\\Users\\*\\AppData\\Local\\Google\\Chrome\\User Data\\' +
          '*\\Cache\\Cache_Data',
      )?.category,
    ).toBe('browser-chrome');
    const thumbs = roots.find((r) => r.category === 'thumbnails');
    expect(thumbs?.recursive).toBe(false);
    expect(thumbs?.fileFilter?.test('thumbcache_1280.db')).toBe(true);
    expect(thumbs?.fileFilter?.test('iconcache_16.db')).toBe(false);
  });

  it('cleans browser caches under Library/Caches on macOS', () => {
    const roots = platformRoots({
      platform: 'darwin',
      home: '/Users/ann',
      privileged: false,
      env: {},
    });

    expect(roots.map((r) => r.path)).toEqual([
      '/Users/ann/Library/Caches/Google/Chrome',
      '/Users/ann/Library/Caches/Microsoft Edge',
      '/Users/ann/Library/Caches/Firefox/Profiles/*/cache2',
    ]);
  });

  it('has no roots on a platform it does not know', () => {
    expect(platformRoots({ ...linux(true), platform: 'aix' })).toEqual([]);
  });
});

describe('path guards', () => {
  it('tells a path inside its root from a sibling with a common prefix', () => {
    expect(isInside('/tmp/root', '/tmp/root/a/b')).toBe(true);
    expect(isInside('/tmp/root', '/tmp/root')).toBe(true);
    expect(isInside('/tmp/root', '/tmp/rootkit/a')).toBe(false);
    expect(isInside('/tmp/root', '/etc')).toBe(false);
  });

  it('matches top-level names exactly or by a trailing star', () => {
    expect(matchesName('systemd-private-1a2b', ['systemd-private-*'])).toBe(
      true,
    );
    expect(matchesName('.X11-unix', ['.X11-unix'])).toBe(true);
    expect(matchesName('.X11-unix-old', ['.X11-unix'])).toBe(false);
  });
});

describe('Windows Update in-flight guard', () => {
  it('keeps the cache while the update service runs', () => {
    const state = parseUpdateGuard(
      '{"Wuauserv":"Running","TrustedInstaller":"Stopped",' +
        '"RebootPending":false}',
    );

    expect(state).toEqual({
      wuauserv: 'Running',
      trustedInstaller: 'Stopped',
      rebootPending: false,
    });
    expect(updateInFlight(state)).toBe(true);
  });

  it('allows cleanup when both services stopped and no restart waits', () => {
    const state = parseUpdateGuard(
      '{"Wuauserv":"Stopped","TrustedInstaller":"Stopped",' +
        '"RebootPending":false}',
    );

    expect(updateInFlight(state)).toBe(false);
  });

  it('keeps the cache on a pending restart or unreadable output', () => {
    expect(
      updateInFlight(
        parseUpdateGuard(
          '{"Wuauserv":null,"TrustedInstaller":"Stopped","RebootPending":true}',
        ),
      ),
    ).toBe(true);
    expect(
      updateInFlight(parseUpdateGuard('Get-Service : Access denied')),
    ).toBe(true);
  });

  it('asks for both services and the reboot flag', () => {
    expect(UPDATE_GUARD_SCRIPT).toContain("'wuauserv','TrustedInstaller'");
    expect(UPDATE_GUARD_SCRIPT).toContain('RebootRequired');
    expect(UPDATE_GUARD_SCRIPT).toContain('ConvertTo-Json');
  });
});

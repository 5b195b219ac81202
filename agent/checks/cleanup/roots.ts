import { posix, win32 } from 'node:path';
import type { RootSpec } from './types.js';

/** Where the platform table finds users and system folders. */
export interface RootEnv {
  platform: NodeJS.Platform;
  /** The agent's own home folder. */
  home: string;
  /** Whether the agent runs as root / SYSTEM and may clean every user. */
  privileged: boolean;
  /** Windows: SystemRoot, SystemDrive, LOCALAPPDATA, TEMP. */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Top-level entries of /tmp that belong to the session or to services:
 * X11 and ICE sockets, systemd's per-service private folders, and the
 * folders tmpfiles.d protects.
 */
const LINUX_TMP_KEEP = [
  '.X11-unix',
  '.ICE-unix',
  '.XIM-unix',
  '.font-unix',
  '.Test-unix',
  'systemd-private-*',
  'snap-private-tmp',
];

/** Home folders: every user's when privileged, else the agent's own. */
function linuxHomes(env: RootEnv): string[] {
  return env.privileged ? ['/home/*', '/root'] : [env.home];
}

export function linuxRoots(env: RootEnv): RootSpec[] {
  const perHome = linuxHomes(env).flatMap((home): RootSpec[] => [
    { category: 'thumbnails', path: posix.join(home, '.cache/thumbnails') },
    {
      category: 'browser-chrome',
      path: posix.join(home, '.cache/google-chrome'),
    },
    { category: 'browser-chrome', path: posix.join(home, '.cache/chromium') },
    {
      category: 'browser-edge',
      path: posix.join(home, '.cache/microsoft-edge'),
    },
    { category: 'browser-firefox', path: posix.join(home, '.cache/mozilla') },
  ]);
  const shared: RootSpec[] = [
    {
      category: 'temp-system',
      path: '/tmp',
      ordinaryOwnersOnly: true,
      keepTopNames: LINUX_TMP_KEEP,
    },
    {
      category: 'temp-system',
      path: '/var/tmp',
      ordinaryOwnersOnly: true,
      keepTopNames: LINUX_TMP_KEEP,
    },
    { category: 'crash-dumps', path: '/var/crash' },
  ];
  return [...shared, ...perHome];
}

/** Per-profile folders under a Windows user's AppData\Local. */
function windowsProfileRoots(local: string): RootSpec[] {
  const j = win32.join;
  return [
    { category: 'temp-user', path: j(local, 'Temp') },
    {
      category: 'browser-edge',
      path: j(local, 'Microsoft\\Edge\\User Data\\*\\Cache\\Cache_Data'),
    },
    {
      category: 'browser-chrome',
      path: j(local, 'Google\\Chrome\\User Data\\*\\Cache\\Cache_Data'),
    },
    {
      category: 'browser-firefox',
      path: j(local, 'Mozilla\\Firefox\\Profiles\\*\\cache2'),
    },
    { category: 'crash-dumps', path: j(local, 'CrashDumps') },
    {
      category: 'thumbnails',
      path: j(local, 'Microsoft\\Windows\\Explorer'),
      recursive: false,
      fileFilter: /^thumbcache_.*\.db$/i,
    },
  ];
}

export function windowsRoots(env: RootEnv): RootSpec[] {
  const systemRoot = env.env.SystemRoot ?? 'C:\\Windows';
  const systemDrive = env.env.SystemDrive ?? 'C:';
  // As SYSTEM, %LOCALAPPDATA% is the service profile's: walk every user's
  // profile instead. "Default User" and "All Users" are junctions, which
  // the `*` expansion never follows.
  const locals = env.privileged
    ? [win32.join(`${systemDrive}\\`, 'Users', '*', 'AppData', 'Local')]
    : [env.env.LOCALAPPDATA ?? win32.join(env.home, 'AppData', 'Local')];

  return [
    { category: 'temp-system', path: win32.join(systemRoot, 'Temp') },
    {
      category: 'update-cache',
      path: win32.join(systemRoot, 'SoftwareDistribution', 'Download'),
      guard: 'no-update-in-flight',
    },
    ...locals.flatMap(windowsProfileRoots),
  ];
}

export function darwinRoots(env: RootEnv): RootSpec[] {
  const homes = env.privileged ? ['/Users/*'] : [env.home];
  return homes.flatMap((home): RootSpec[] => {
    const caches = posix.join(home, 'Library/Caches');
    return [
      { category: 'browser-chrome', path: posix.join(caches, 'Google/Chrome') },
      {
        category: 'browser-edge',
        path: posix.join(caches, 'Microsoft Edge'),
      },
      {
        category: 'browser-firefox',
        path: posix.join(caches, 'Firefox/Profiles/*/cache2'),
      },
    ];
  });
}

/** The platform's root table; other platforms have none. */
export function platformRoots(env: RootEnv): RootSpec[] {
  if (env.platform === 'linux') return linuxRoots(env);
  if (env.platform === 'win32') return windowsRoots(env);
  if (env.platform === 'darwin') return darwinRoots(env);
  return [];
}

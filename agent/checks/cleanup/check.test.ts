import type { ChildProcess } from 'node:child_process';
import {
  chown,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../platform/command.js';
import { createCleanupCheck } from './check.js';
import {
  age,
  ageFolder,
  cleanupContext,
  holdOpen,
  writeAged,
} from './test-tree.js';
import type { RootSpec } from './types.js';

/** Every file and link below `dir`, relative, links not followed. */
async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      out.push(
        `${entry.name}/`,
        ...(await listTree(path)).map((p) => `${entry.name}/${p}`),
      );
    else out.push(entry.name);
  }
  return out.sort();
}

let base: string;
let root: string;
let outside: string;
let stateDir: string;
let holder: ChildProcess | undefined;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'upkeep-cleanup-'));
  root = join(base, 'temp');
  outside = join(base, 'outside');
  stateDir = join(base, 'state');
  await mkdir(root);
});

afterEach(async () => {
  holder?.kill('SIGKILL');
  holder = undefined;
  await rm(base, { recursive: true, force: true });
});

/**
 * The tree of the done-when test. Eligible: old.txt, old-dir/nested.log,
 * old-dir itself, and the two old links (the links, not their targets).
 */
async function buildTree() {
  await writeAged(join(root, 'old.txt'), 1000, 30);
  await writeAged(join(root, 'old-dir/nested.log'), 500, 30);
  await ageFolder(join(root, 'old-dir'), 30);
  await writeAged(join(root, 'fresh.txt'), 300, 0);
  await writeAged(join(root, 'read-lately.txt'), 200, 30);
  await age(join(root, 'read-lately.txt'), 30, 1);
  await writeAged(join(root, 'held.txt'), 700, 30);
  await writeAged(join(root, 'Downloads/setup.exe'), 900, 90);
  await writeAged(join(root, 'image.iso'), 800, 90);
  await writeAged(join(root, 'busy-dir/new.tmp'), 10, 0);
  await ageFolder(join(root, 'busy-dir'), 30);

  await writeAged(join(outside, 'secret.txt'), 400, 90);
  await writeAged(join(outside, 'dir/inner.txt'), 600, 90);
  await symlink(join(outside, 'secret.txt'), join(root, 'link-to-file'));
  await symlink(join(outside, 'dir'), join(root, 'link-to-dir'));
  await age(join(root, 'link-to-file'), 30);
  await age(join(root, 'link-to-dir'), 30);

  holder = await holdOpen(join(root, 'held.txt'));
}

const EXPECTED_GONE = [
  'link-to-dir',
  'link-to-file',
  'old-dir/',
  'old-dir/nested.log',
  'old.txt',
];

async function sizesOf(paths: string[]) {
  let total = 0;
  for (const p of paths.filter((p) => !p.endsWith('/'))) {
    total += (await lstat(join(root, p))).size;
  }
  return total;
}

function tempRoot(): RootSpec[] {
  return [{ category: 'temp-user', path: root }];
}

// Oracle: only old, unprotected, closed files and links below the root go;
// what a link points to, mounts and protected folders are never touched,
// and the bytes reported are the lstat sizes of exactly what went.
describe('cleanup check on a real tree', () => {
  it('deletes only eligible files and links, never link targets', async () => {
    await buildTree();
    const before = await listTree(root);
    const expectedBytes = await sizesOf(EXPECTED_GONE);
    const check = createCleanupCheck({ stateDir, roots: tempRoot() });

    const result = await check.run(cleanupContext({ dryRun: false }));

    const after = await listTree(root);
    expect(after).toEqual(before.filter((p) => !EXPECTED_GONE.includes(p)));
    expect(after).toEqual([
      'Downloads/',
      'Downloads/setup.exe',
      'busy-dir/',
      'busy-dir/new.tmp',
      'fresh.txt',
      'held.txt',
      'image.iso',
      'read-lately.txt',
    ]);
    expect(await listTree(outside)).toEqual([
      'dir/',
      'dir/inner.txt',
      'secret.txt',
    ]);
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toHaveLength(
      400,
    );
    expect(result.data.bytes).toBe(expectedBytes);
    expect(result.data.files).toBe(4);
    expect(result.data.categories).toEqual({
      'temp-user': { files: 4, bytes: expectedBytes, dirs: 1 },
    });
    expect(result.data.kept).toMatchObject({
      fresh: 3,
      'in-use': 1,
      protected: 1,
      iso: 1,
    });
    expect(result.verdict).toBe('ok');
  });

  it('writes a manifest line per deleted file with its bytes', async () => {
    await buildTree();
    const expected = await Promise.all(
      EXPECTED_GONE.filter((p) => !p.endsWith('/')).map(async (p) => ({
        path: join(root, p),
        bytes: (await lstat(join(root, p))).size,
        category: 'temp-user',
      })),
    );
    const check = createCleanupCheck({ stateDir, roots: tempRoot() });

    const result = await check.run(cleanupContext({ dryRun: false }));

    const manifestPath = String(result.data.manifestPath);
    expect(relative(stateDir, manifestPath)).toMatch(
      /^cleanup\/manifest-.*\.jsonl$/,
    );
    const lines = (await readFile(manifestPath, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(
      lines
        .map(({ mtime: _, ...rest }) => rest)
        .sort((a, b) => a.path.localeCompare(b.path)),
    ).toEqual(expected);
    expect(lines.every((l) => !Number.isNaN(Date.parse(l.mtime)))).toBe(true);
  });

  it('deletes nothing in a dry run and reports the same bytes', async () => {
    await buildTree();
    const before = await listTree(root);
    const expectedBytes = await sizesOf(EXPECTED_GONE);
    const check = createCleanupCheck({ stateDir, roots: tempRoot() });

    const result = await check.run(cleanupContext({ dryRun: true }));

    expect(await listTree(root)).toEqual(before);
    expect(result.data.dryRun).toBe(true);
    expect(result.data.bytes).toBe(expectedBytes);
    expect(result.data.categories).toEqual({
      'temp-user': { files: 4, bytes: expectedBytes, dirs: 1 },
    });
    expect(result.data.manifestPath).toBeUndefined();
  });

  it('deletes an old disk image only when the policy allows it', async () => {
    await writeAged(join(root, 'image.iso'), 800, 90);
    const check = createCleanupCheck({ stateDir, roots: tempRoot() });

    const kept = await check.run(cleanupContext({ dryRun: false }));
    expect(await listTree(root)).toEqual(['image.iso']);
    expect(kept.data.bytes).toBe(0);

    const gone = await check.run(
      cleanupContext({ dryRun: false, allowIso: true }),
    );
    expect(await listTree(root)).toEqual([]);
    expect(gone.data.bytes).toBe(800);
  });

  it('refuses a root that is a link and leaves its target', async () => {
    await writeAged(join(outside, 'secret.txt'), 400, 90);
    const linked = join(base, 'linked-temp');
    await symlink(outside, linked);
    const check = createCleanupCheck({
      stateDir,
      roots: [{ category: 'temp-user', path: linked }],
    });

    const result = await check.run(cleanupContext({ dryRun: false }));

    expect(await listTree(outside)).toEqual(['secret.txt']);
    expect(result.findings).toMatchObject([
      { code: 'cleanup.root-refused', severity: 'info', subject: linked },
    ]);
    expect(result.data.rootsWalked).toBe(0);
  });

  it('refuses a root reached through a linked parent folder', async () => {
    await writeAged(join(outside, 'cache/old.bin'), 100, 90);
    await symlink(outside, join(base, 'via'));
    const path = join(base, 'via/cache');
    const check = createCleanupCheck({
      stateDir,
      roots: [{ category: 'temp-user', path }],
    });

    const result = await check.run(cleanupContext({ dryRun: false }));

    expect(await listTree(outside)).toEqual(['cache/', 'cache/old.bin']);
    expect(result.findings[0]?.detail).toMatchObject({
      roots: [{ path, reason: 'link-in-path', link: join(base, 'via') }],
    });
  });

  it('skips a file system mounted below the root', async () => {
    await writeAged(join(root, 'old.txt'), 100, 30);
    const mount = join(root, 'mounted');
    await mkdir(mount);
    await mountTmpfs(mount);
    try {
      await writeAged(join(mount, 'other-device.txt'), 100, 30);
      const check = createCleanupCheck({ stateDir, roots: tempRoot() });

      const result = await check.run(cleanupContext({ dryRun: false }));

      expect(await listTree(root)).toEqual([
        'mounted/',
        'mounted/other-device.txt',
      ]);
      expect(result.data.kept).toMatchObject({ 'mount-point': 1 });
    } finally {
      await unmount(mount);
    }
  });
});

async function mountTmpfs(path: string) {
  const r = await runCommand('mount', [
    '-t',
    'tmpfs',
    '-o',
    'size=1m',
    'tmpfs',
    path,
  ]);
  if (r.exitCode !== 0) throw new Error(`mount failed: ${r.stderr}`);
}

async function unmount(path: string) {
  await runCommand('umount', [path]);
}

describe('cleanup root options', () => {
  it("keeps daemons' files and named top entries in /tmp", async () => {
    await writeAged(join(root, 'mine.tmp'), 100, 30);
    await chown(join(root, 'mine.tmp'), 1000, 1000);
    await age(join(root, 'mine.tmp'), 30);
    await writeAged(join(root, 'daemon.pid'), 10, 30);
    await writeAged(join(root, 'systemd-private-abc/tmp/x'), 10, 30);
    await writeFile(join(root, '.X11-unix'), '');
    await age(join(root, '.X11-unix'), 30);
    const check = createCleanupCheck({
      stateDir,
      roots: [
        {
          category: 'temp-system',
          path: root,
          ordinaryOwnersOnly: true,
          keepTopNames: ['.X11-unix', 'systemd-private-*'],
        },
      ],
    });

    const result = await check.run(cleanupContext({ dryRun: false }));

    expect(await listTree(root)).toEqual([
      '.X11-unix',
      'daemon.pid',
      'systemd-private-abc/',
      'systemd-private-abc/tmp/',
      'systemd-private-abc/tmp/x',
    ]);
    expect(result.data.bytes).toBe(100);
  });

  it('takes only matching files from a flat root', async () => {
    await writeAged(join(root, 'thumbcache_256.db'), 50, 30);
    await writeAged(join(root, 'iconcache_16.db'), 60, 30);
    await writeAged(join(root, 'sub/thumbcache_32.db'), 70, 30);
    const check = createCleanupCheck({
      stateDir,
      roots: [
        {
          category: 'thumbnails',
          path: root,
          recursive: false,
          fileFilter: /^thumbcache_.*\.db$/i,
        },
      ],
    });

    const result = await check.run(cleanupContext({ dryRun: false }));

    expect(await listTree(root)).toEqual([
      'iconcache_16.db',
      'sub/',
      'sub/thumbcache_32.db',
    ]);
    expect(result.data.categories).toEqual({
      thumbnails: { files: 1, bytes: 50, dirs: 0 },
    });
  });

  it('expands a profile wildcard but never a linked profile', async () => {
    await writeAged(join(root, 'Profile 1/Cache/a'), 10, 30);
    await writeAged(join(root, 'Default/Cache/b'), 20, 30);
    await writeAged(join(outside, 'Cache/c'), 40, 30);
    await symlink(outside, join(root, 'Linked'));
    const check = createCleanupCheck({
      stateDir,
      roots: [{ category: 'browser-chrome', path: join(root, '*', 'Cache') }],
    });

    const result = await check.run(cleanupContext({ dryRun: false }));

    expect(result.data.bytes).toBe(30);
    expect(await listTree(outside)).toEqual(['Cache/', 'Cache/c']);
  });

  it('cleans only the categories the policy names', async () => {
    const other = join(base, 'thumbs');
    await writeAged(join(root, 'a'), 10, 30);
    await writeAged(join(other, 'b'), 20, 30);
    const check = createCleanupCheck({
      stateDir,
      roots: [
        { category: 'temp-user', path: root },
        { category: 'thumbnails', path: other },
      ],
    });

    const result = await check.run(
      cleanupContext({ dryRun: false, categories: ['thumbnails'] }),
    );

    expect(await listTree(root)).toEqual(['a']);
    expect(result.data.categories).toEqual({
      thumbnails: { files: 1, bytes: 20, dirs: 0 },
    });
  });

  it('deletes nothing when the manifest cannot be written', async () => {
    await writeAged(join(root, 'a'), 10, 30);
    const blocked = join(base, 'state-is-a-file');
    await writeFile(blocked, '');
    const check = createCleanupCheck({ stateDir: blocked, roots: tempRoot() });

    const result = await check.run(cleanupContext({ dryRun: false }));

    expect(await listTree(root)).toEqual(['a']);
    expect(result.findings.map((f) => f.code)).toEqual([
      'cleanup.manifest-failed',
    ]);
    expect(result.verdict).toBe('warning');
  });
});

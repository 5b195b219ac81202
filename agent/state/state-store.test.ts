import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../logger.js';
import { STATE_FILE, StateStore } from './state-store.js';

let dir = '';
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'upkeep-state-'));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

describe('StateStore', () => {
  it('starts with no runs in an empty folder it creates', async () => {
    const store = await StateStore.open(path.join(dir, 'new'), silentLogger);

    expect(store.lastRuns()).toEqual({});
    expect((await fs.stat(path.join(dir, 'new'))).isDirectory()).toBe(true);
  });

  it('keeps run times across a restart', async () => {
    const first = await StateStore.open(dir, silentLogger);
    await first.recordRun('disk-space', new Date('2026-03-02T09:30:01.250Z'));

    const second = await StateStore.open(dir, silentLogger);

    expect(second.lastRuns()).toEqual({
      'disk-space': '2026-03-02T09:30:01.250Z',
    });
  });

  it('keeps a section beside the run times across a restart', async () => {
    const first = await StateStore.open(dir, silentLogger);
    await first.recordRun('smart', new Date('2026-03-02T09:30:00.000Z'));
    await first.writeSection('scheduler', { cycles: { smart: 'x' } });

    const second = await StateStore.open(dir, silentLogger);

    expect(second.section('scheduler')).toEqual({ cycles: { smart: 'x' } });
    expect(second.section('other')).toBeUndefined();
    expect(second.lastRuns()).toEqual({ smart: '2026-03-02T09:30:00.000Z' });
  });

  it('leaves only the state file behind, no temp files', async () => {
    const store = await StateStore.open(dir, silentLogger);

    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        store.recordRun(`kind-${n}`, new Date(Date.UTC(2026, 2, n))),
      ),
    );

    expect(await fs.readdir(dir)).toEqual([STATE_FILE]);
    const saved = JSON.parse(
      await fs.readFile(path.join(dir, STATE_FILE), 'utf8'),
    );
    expect(Object.keys(saved.lastRuns)).toHaveLength(5);
  });

  it('starts afresh from a corrupt file and says so', async () => {
    await fs.writeFile(path.join(dir, STATE_FILE), '{"v":1,"lastRuns":');
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ write: (l) => lines.push(JSON.parse(l)) });

    const store = await StateStore.open(dir, logger);

    expect(store.lastRuns()).toEqual({});
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'state file unreadable, starting afresh',
      }),
    );
  });

  it('fails with state-io when the folder cannot be written', async () => {
    const store = await StateStore.open(dir, silentLogger);
    await fs.rm(dir, { recursive: true });
    await fs.writeFile(dir, 'a file where the folder was');

    await expect(
      store.recordRun('disk-space', new Date()),
    ).rejects.toMatchObject({ code: 'state-io', name: 'StateError' });
    await fs.rm(dir);
    await fs.mkdir(dir);
  });
});

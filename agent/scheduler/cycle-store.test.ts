import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../logger.js';
import { StateStore } from '../state/state-store.js';
import { SCHEDULER_SECTION, StateCycleStore } from './cycle-store.js';

let dir = '';
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'upkeep-cycles-'));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

const accepted = (n: number) => ({
  v: 1 as const,
  kind: 'maintenance' as const,
  cycleId: `maintenance@2026-03-0${n}T11:00:00.000Z`,
  dueAt: `2026-03-0${n}T11:00:00.000Z`,
  windowEndsAt: `2026-03-0${n}T23:00:00.000Z`,
  receivedAt: `2026-03-0${n}T11:00:05.000Z`,
});

describe('StateCycleStore', () => {
  it('keeps completed cycles in the state file across a restart', async () => {
    const state = await StateStore.open(dir, silentLogger);
    const store = new StateCycleStore(state, silentLogger, 8);
    const done = {
      cycleId: 'smart@2026-03-09T00:00:00.000Z',
      completedAt: '2026-03-11T09:01:30.000Z',
      trigger: 'catch-up' as const,
    };

    await store.recordCompleted('smart', done);
    const reopened = new StateCycleStore(
      await StateStore.open(dir, silentLogger),
      silentLogger,
      8,
    );

    expect(reopened.completed('smart')).toEqual(done);
    expect(reopened.completed('maintenance')).toBeUndefined();
  });

  it('keeps only the newest accepted cloud cycles', async () => {
    const store = new StateCycleStore(
      await StateStore.open(dir, silentLogger),
      silentLogger,
      2,
    );

    for (const n of [1, 2, 3]) await store.accept(accepted(n));

    expect(store.accepted().map((a) => a.dueAt)).toEqual([
      '2026-03-02T11:00:00.000Z',
      '2026-03-03T11:00:00.000Z',
    ]);
  });

  it('starts afresh from a section it cannot read, and says so', async () => {
    const state = await StateStore.open(dir, silentLogger);
    await state.writeSection(SCHEDULER_SECTION, { completed: 'garbage' });
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ write: (l) => lines.push(JSON.parse(l)) });

    const store = new StateCycleStore(state, logger, 8);

    expect(store.accepted()).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({ code: 'scheduler-state-invalid' }),
    );
  });
});

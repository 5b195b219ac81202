import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compactAfterWork } from './compact-after-work.js';

function manualTimers() {
  const due = new Map<number, () => void>();
  const delays: number[] = [];
  let next = 0;
  return {
    timers: {
      setTimeout: (callback: () => void, ms: number) => {
        delays.push(ms);
        due.set(++next, callback);
        return next;
      },
      clearTimeout: (handle: unknown) => due.delete(handle as number),
    },
    pending: () => due.size,
    delays,
    fire() {
      const callbacks = [...due.values()];
      due.clear();
      for (const callback of callbacks) callback();
    },
  };
}

/** A compactor on manual timers that counts its collections. */
function counted(intervals: { quietMs?: number; idleEveryMs?: number } = {}) {
  const clock = manualTimers();
  let count = 0;
  const compactor = compactAfterWork({
    ...intervals,
    collect: () => count++,
    timers: clock.timers,
  });
  return { clock, compactor, collections: () => count };
}

describe('compactAfterWork', () => {
  it('collects twice once the quiet time after the last work has passed', () => {
    const { clock, compactor, collections } = counted();

    compactor.workDone();
    compactor.workDone();

    expect(clock.pending()).toBe(1);
    clock.fire();
    expect(collections()).toBe(2);
    expect(compactor.count).toBe(1);
  });

  it('waits while new work runs and after stop does nothing', () => {
    const { clock, compactor, collections } = counted();

    compactor.workDone();
    compactor.workStarted();
    expect(clock.pending()).toBe(0);

    compactor.workDone();
    compactor.stop();
    clock.fire();
    expect(collections()).toBe(0);
  });

  it('compacts again every idle interval until work starts', () => {
    const { clock, compactor, collections } = counted({
      quietMs: 3_000,
      idleEveryMs: 300_000,
    });

    clock.fire();
    clock.fire();
    expect(collections()).toBe(4);
    expect(compactor.count).toBe(2);

    compactor.workStarted();
    clock.fire();
    expect(collections()).toBe(4);

    compactor.workDone();
    clock.fire();
    expect(collections()).toBe(6);
    expect(clock.delays).toEqual([300_000, 300_000, 300_000, 3_000, 300_000]);
  });

  it('does nothing without a collector (node without --expose-gc)', () => {
    const clock = manualTimers();
    const compactor = compactAfterWork({
      collect: undefined,
      timers: clock.timers,
    });

    compactor.workDone();

    expect(clock.pending()).toBe(0);
    expect(compactor.count).toBe(0);
  });

  it('finds the collector node exposes with --expose-gc', () => {
    const script =
      'const c = globalThis.gc; let n = 0;' +
      'globalThis.gc = () => { n++; c(); };' +
      'import(process.argv[1]).then(({ compactAfterWork }) => {' +
      ' const k = compactAfterWork({ quietMs: 1 }); k.workDone();' +
      ' setTimeout(() => console.log(n, k.count), 50); });';
    const withGc = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', '-e', script, moduleUrl()],
      { encoding: 'utf8' },
    );
    const plain =
      'import(process.argv[1]).then(({ compactAfterWork }) => {' +
      ' const k = compactAfterWork({ quietMs: 1 }); k.workDone();' +
      ' setTimeout(() => console.log(typeof globalThis.gc, k.count), 50); });';
    const withoutGc = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', plain, moduleUrl()],
      { encoding: 'utf8' },
    );

    expect(withGc.stdout.trim()).toBe('2 1');
    expect(withoutGc.stdout.trim()).toBe('undefined 0');
  });
});

function moduleUrl() {
  return new URL('./compact-after-work.ts', import.meta.url).href;
}

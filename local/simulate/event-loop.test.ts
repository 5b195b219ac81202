import { describe, expect, it } from 'vitest';
import { EventLoop } from './event-loop.js';

describe('EventLoop', () => {
  it('runs events by time, and by insertion at the same time', async () => {
    const loop = new EventLoop(0);
    const seen: string[] = [];
    loop.at(20, () => void seen.push('b'));
    loop.at(10, () => void seen.push('a'));
    loop.at(20, () => void seen.push('c'));

    await loop.run(100);

    expect(seen).toEqual(['a', 'b', 'c']);
    expect(loop.now).toBe(100);
    expect(loop.processed).toBe(3);
  });

  it('finishes an async callback before time moves on', async () => {
    const loop = new EventLoop(0);
    const seen: number[] = [];
    loop.at(10, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(loop.now);
    });
    loop.at(11, () => void seen.push(loop.now));

    await loop.run(50);

    expect(seen).toEqual([10, 11]);
  });

  it('drops a cancelled event and leaves later ones for a later run', async () => {
    const loop = new EventLoop(0);
    const seen: number[] = [];
    loop.at(5, () => void seen.push(5)).cancel();
    loop.at(30, () => void seen.push(30));

    await loop.run(20);
    expect(seen).toEqual([]);
    await loop.run(40);

    expect(seen).toEqual([30]);
  });

  it('never schedules into the past and keeps whole milliseconds', async () => {
    const loop = new EventLoop(100);

    expect(loop.at(50, () => {}).at).toBe(100);
    expect(loop.after(0.4, () => {}).at).toBe(101);
  });
});

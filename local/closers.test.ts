import { describe, expect, it } from 'vitest';
import { Closers } from './closers.js';

describe('Closers', () => {
  it('closes in reverse order of adding, once', async () => {
    const closed: string[] = [];
    const closers = new Closers();
    for (const name of ['dynalite', 'broker', 'agent']) {
      closers.add(name, () => closed.push(name));
    }

    await Promise.all([closers.closeAll(), closers.closeAll()]);

    expect(closed).toEqual(['agent', 'broker', 'dynalite']);
  });

  it('keeps closing past a failure and reports it by name', async () => {
    const closed: string[] = [];
    const closers = new Closers();
    closers.add('dynalite', () => closed.push('dynalite'));
    closers.add('broker', async () => {
      throw new Error('socket hang up');
    });

    const result = closers.closeAll();

    await expect(result).rejects.toThrow(AggregateError);
    await result.catch((error: AggregateError) => {
      expect(error.errors.map((e: Error) => e.message)).toEqual([
        'closing broker failed',
      ]);
    });
    expect(closed).toEqual(['dynalite']);
  });
});

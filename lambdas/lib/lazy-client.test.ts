import { describe, expect, it } from 'vitest';
import { clientOf, loadOnce } from './lazy-client.js';

describe('loadOnce', () => {
  it('loads once for calls made at the same time and after', async () => {
    let loads = 0;
    const get = loadOnce(async () => ({ id: ++loads }));

    const [first, second] = await Promise.all([get(), get()]);
    const third = await get();

    expect(loads).toBe(1);
    expect(second).toBe(first);
    expect(third).toEqual({ id: 1 });
  });

  it('tries again after a failed load', async () => {
    let loads = 0;
    const get = loadOnce(async () => {
      loads++;
      if (loads === 1) throw new Error('package missing');
      return { id: loads };
    });

    await expect(get()).rejects.toThrow('package missing');
    expect(await get()).toEqual({ id: 2 });
    expect(loads).toBe(2);
  });
});

describe('clientOf', () => {
  it('hands a client over as is and calls a loader', async () => {
    const client = { name: 'given' };

    expect(await clientOf(client)).toBe(client);
    expect(await clientOf(async () => ({ name: 'loaded' }))).toEqual({
      name: 'loaded',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { clip, statusDetails } from './status-details.js';

describe('statusDetails', () => {
  it('turns values into strings and leaves out empty ones', () => {
    expect(
      statusDetails({
        reason: 'expired',
        attempt: 2,
        ok: true,
        gone: undefined,
      }),
    ).toEqual({ reason: 'expired', attempt: '2', ok: 'true' });
  });

  it('cuts a value to the 1024 characters AWS accepts, marking the cut', () => {
    const value = statusDetails({ message: 'x'.repeat(5000) }).message ?? '';

    expect(value).toHaveLength(1024);
    expect(value.endsWith('…')).toBe(true);
    expect(clip('short')).toBe('short');
  });

  it('refuses a key AWS would refuse', () => {
    expect(() => statusDetails({ 'bad key': 'x' })).toThrow(RangeError);
  });
});

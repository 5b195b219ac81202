import { describe, expect, it } from 'vitest';
import { cycleMessageSchema } from './cycle.js';

const message = {
  v: 1,
  cycleId: 'maintenance@2026-03-02T11:00:00.000Z',
  kind: 'maintenance',
  dueAt: '2026-03-02T11:00:00.000Z',
  windowEndsAt: '2026-03-03T11:00:00.000Z',
};

describe('cycleMessageSchema', () => {
  it('accepts a window named by its kind and due time', () => {
    expect(cycleMessageSchema.parse(message)).toEqual(message);
  });

  it('refuses an id that names another window', () => {
    const result = cycleMessageSchema.safeParse({
      ...message,
      cycleId: 'maintenance@2026-03-01T11:00:00.000Z',
    });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['cycleId']);
  });

  it('refuses a kind outside the cycle table and unknown fields', () => {
    expect(
      cycleMessageSchema.safeParse({ ...message, kind: 'reboot' }).success,
    ).toBe(false);
    expect(
      cycleMessageSchema.safeParse({ ...message, extra: true }).success,
    ).toBe(false);
  });

  it('refuses a window that ends before it is due', () => {
    const result = cycleMessageSchema.safeParse({
      ...message,
      windowEndsAt: '2026-03-02T10:00:00.000Z',
    });

    expect(result.error?.issues[0]?.path).toEqual(['windowEndsAt']);
  });
});

import { describe, expect, it } from 'vitest';
import { scoreFinding } from './priority.js';

const DAY = 24 * 3600 * 1000;
const now = Date.parse('2026-12-04T09:00:00Z');

describe('scoreFinding', () => {
  it('ranks a critical finding above a warning on the same device', () => {
    const base = { known: true, recurrences: 0, openedAtMs: now, nowMs: now };

    const critical = scoreFinding({ ...base, severity: 'critical' });
    const warning = scoreFinding({ ...base, severity: 'warning' });

    expect(critical.score).toBe(70);
    expect(warning.score).toBe(40);
    expect(critical.band).toBe('high');
    expect(warning.band).toBe('medium');
  });

  it('adds recurrence, days open and role, each within its cap', () => {
    const score = scoreFinding({
      severity: 'critical',
      known: true,
      recurrences: 9,
      openedAtMs: now - 30 * DAY,
      nowMs: now,
      role: 'server',
    });

    expect(score.factors).toEqual({
      severity: 70,
      recurrence: 15,
      daysOpen: 10,
      role: 10,
    });
    expect(score.score).toBe(100);
    expect(score.band).toBe('urgent');
  });

  it('scores an unknown info code as a warning, never lower', () => {
    const score = scoreFinding({
      severity: 'info',
      known: false,
      recurrences: 0,
      openedAtMs: now,
      nowMs: now,
    });

    expect(score.factors.severity).toBe(40);
  });

  it('keeps a kiosk info finding at zero or above', () => {
    const score = scoreFinding({
      severity: 'info',
      known: true,
      recurrences: 0,
      openedAtMs: now + DAY,
      nowMs: now,
      role: 'kiosk',
    });

    expect(score.score).toBe(5);
    expect(score.band).toBe('low');
  });
});

import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDuration,
  formatPercent,
  formatTime,
} from './site/js/format.js';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [242_281_394_176, '225.6 GiB'],
    [Number.NaN, '—'],
  ])('shows %d as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('formatDuration', () => {
  it.each([
    [30_000, 'under 1 min'],
    [25 * 60_000, '25 min'],
    [(2 * 60 + 5) * 60_000, '2 h 5 min'],
    [(3 * 24 + 4) * 3_600_000, '3 d 4 h'],
    [2 * 86_400_000, '2 d'],
    [-1, '—'],
  ])('shows %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatPercent and formatTime', () => {
  it('shows one decimal and UTC minutes', () => {
    expect(formatPercent(0.8954)).toBe('89.5 %');
    expect(formatTime('2026-12-04T18:18:31.247Z')).toBe('2026-12-04 18:18 UTC');
    expect(formatTime(null)).toBe('—');
  });
});

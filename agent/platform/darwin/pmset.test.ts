import { describe, expect, it } from 'vitest';
import { fixture, recordedOs } from '../../test-support/recorded-os.js';
import {
  macConditions,
  parsePmsetAssertions,
  parsePmsetBattery,
} from './pmset.js';

// pmset cannot run here. The fixtures are in the layout `pmset -g batt`
// and `pmset -g assertions` print on macOS 14, written from their fields:
// a MacBook on battery, a Mac mini, Keynote playing a slideshow and an
// idle session (powerd and coreaudiod hold system, not display, sleep).
const battery = fixture(import.meta.url, 'pmset-batt.battery.txt');
const mains = fixture(import.meta.url, 'pmset-batt.desktop.txt');
const keynote = fixture(import.meta.url, 'pmset-assertions.keynote.txt');
const idle = fixture(import.meta.url, 'pmset-assertions.idle.txt');

describe('parsePmsetBattery', () => {
  it('reads the power source of the first line', () => {
    expect(parsePmsetBattery(battery)).toBe(true);
    expect(parsePmsetBattery(mains)).toBe(false);
    expect(parsePmsetBattery("Now drawing from 'UPS Power'")).toBe(false);
    expect(parsePmsetBattery('pmset: command failed')).toBeUndefined();
  });
});

describe('parsePmsetAssertions', () => {
  it('names the processes that keep the display awake', () => {
    expect(parsePmsetAssertions(keynote)).toEqual([
      'Keynote: Keynote is playing a slideshow',
    ]);
  });

  it('finds none when only system sleep is held', () => {
    expect(parsePmsetAssertions(idle)).toEqual([]);
  });

  it('is unknown without the per-process list', () => {
    expect(parsePmsetAssertions('Assertion status system-wide:')).toBe(
      undefined,
    );
  });
});

describe('macConditions', () => {
  it('reads battery and presentation, and leaves metered unknown', async () => {
    const os = recordedOs({
      'pmset -g batt': { stdout: battery },
      'pmset -g assertions': { stdout: keynote },
    });

    expect(await macConditions(os.run, 1_000)).toEqual({
      onBattery: true,
      presenting: true,
      presentingBy: ['Keynote: Keynote is playing a slideshow'],
    });
  });

  it('is all unknown when pmset is missing', async () => {
    expect(await macConditions(recordedOs({}).run, 1_000)).toEqual({});
  });
});

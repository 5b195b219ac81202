import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { THING_NAME_PATTERN } from '../core/index.js';
import { defaultThingName } from './identity.js';

describe('defaultThingName', () => {
  it('gives a valid thing name for this machine', () => {
    const name = defaultThingName();

    expect(name).toMatch(THING_NAME_PATTERN);
    expect(name).toBe(name.toLowerCase());
  });

  it('derives it from os.hostname()', () => {
    expect(defaultThingName()).toBe(defaultThingName(os.hostname()));
  });

  it('lower-cases a Windows host name', () => {
    expect(defaultThingName('DESKTOP-7QK2L9M')).toBe('desktop-7qk2l9m');
  });

  it('replaces the dots of a domain name and other characters', () => {
    expect(defaultThingName('Anna’s MacBook Pro.local')).toBe(
      'anna-s-macbook-pro-local',
    );
  });

  it('keeps underscores and colons, which AWS IoT allows', () => {
    expect(defaultThingName('lab_pc:2')).toBe('lab_pc:2');
  });

  it('cuts a long name to 128 characters without a trailing dash', () => {
    const name = defaultThingName(`${'a'.repeat(127)}.b`);

    expect(name).toBe('a'.repeat(127));
  });

  it('falls back when nothing usable is left', () => {
    expect(defaultThingName('...')).toBe('upkeep-device');
    expect(defaultThingName('')).toBe('upkeep-device');
  });
});

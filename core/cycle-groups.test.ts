import { describe, expect, it } from 'vitest';
import {
  CycleGroupError,
  cycleGroupOf,
  parseCycleGroup,
} from './cycle-groups.js';
import { THING_NAME_PATTERN } from './topics.js';

describe('cycleGroupOf', () => {
  it('names a client group and a site group', () => {
    expect(cycleGroupOf('local')).toBe('client-local');
    expect(cycleGroupOf('acme', 'hq-2')).toBe('client-acme_hq-2');
  });

  it('gives names the broker accepts as one topic level', () => {
    expect(THING_NAME_PATTERN.test(cycleGroupOf('a-1', 'b-2'))).toBe(true);
  });

  it('refuses an id that could make the name ambiguous', () => {
    expect(() => cycleGroupOf('acme_hq')).toThrow(CycleGroupError);
    expect(() => cycleGroupOf('acme', 'Site')).toThrow(/site id/);
  });
});

describe('parseCycleGroup', () => {
  it('reads back what cycleGroupOf wrote', () => {
    expect(parseCycleGroup('client-acme_hq-2')).toEqual({
      clientId: 'acme',
      siteId: 'hq-2',
    });
    expect(parseCycleGroup('client-local')).toEqual({ clientId: 'local' });
  });

  it('refuses other names', () => {
    expect(parseCycleGroup('group-1')).toBeUndefined();
    expect(parseCycleGroup('client-')).toBeUndefined();
  });
});

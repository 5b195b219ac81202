import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './policy.js';
import {
  canonicalJson,
  cycleEnabled,
  effectivePolicy,
  PolicyError,
  policyVersion,
  readEffectivePolicy,
  validateOverride,
} from './policy-inheritance.js';

function errorOf(run: () => unknown): PolicyError {
  try {
    run();
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error('expected a PolicyError');
}

describe('effectivePolicy', () => {
  it('gives the defaults, with a content version, when no layer is set', () => {
    const policy = effectivePolicy({});

    expect(policy.disk).toEqual(DEFAULT_POLICY.disk);
    expect(policy.version).toBe(policyVersion({ ...DEFAULT_POLICY }));
    expect(policy.version).toBeGreaterThan(0);
  });

  it('lets the later layer win, field by field', () => {
    const policy = effectivePolicy({
      msp: { disk: { minFreePercent: 12 }, timeZone: 'Europe/Paris' },
      client: { disk: { minFreePercent: 15, floorBytes: 500 } },
      site: { timeZone: 'America/New_York' },
      device: { disk: { floorBytes: 900 } },
    });

    expect(policy.disk).toEqual({
      ...DEFAULT_POLICY.disk,
      minFreePercent: 15,
      floorBytes: 900,
    });
    expect(policy.timeZone).toBe('America/New_York');
  });

  it('replaces an inherited array whole instead of joining it', () => {
    const policy = effectivePolicy({
      msp: { patches: { mode: 'whitelist', whitelist: ['KB1', 'KB2'] } },
      client: { patches: { whitelist: ['KB3'] } },
    });

    expect(policy.patches?.whitelist).toEqual(['KB3']);
    expect(policy.patches?.mode).toBe('whitelist');
  });

  it('removes an optional field a layer above set when given null', () => {
    const policy = effectivePolicy({
      client: { maintenanceWindow: { start: '22:00', end: '02:00' } },
      site: { maintenanceWindow: null },
    });

    expect(policy.maintenanceWindow).toBeUndefined();
    expect('maintenanceWindow' in policy).toBe(false);
  });

  it('gives the same version for the same content in any key order', () => {
    const a = effectivePolicy({
      client: { disk: { floorBytes: 1, minFreePercent: 2 } },
    });
    const b = effectivePolicy({
      client: { disk: { minFreePercent: 2, floorBytes: 1 } },
    });
    const c = effectivePolicy({ client: { disk: { minFreePercent: 3 } } });

    expect(a.version).toBe(b.version);
    expect(c.version).not.toBe(a.version);
  });

  it('does not change the layers it merges', () => {
    const client = { patches: { whitelist: ['KB1'] } };
    const policy = effectivePolicy({ client });
    policy.patches?.whitelist.push('KB9');

    expect(client.patches.whitelist).toEqual(['KB1']);
  });
});

describe('validateOverride', () => {
  it.each([
    ['an unknown field', { diskk: {} }, 'unknown-field', 'diskk'],
    [
      'an unknown nested field',
      { disk: { floor: 1 } },
      'unknown-field',
      'disk.floor',
    ],
    [
      'a string for a number',
      { disk: { floorBytes: '1' } },
      'wrong-type',
      'disk.floorBytes',
    ],
    [
      'a scalar for an array',
      { cleanup: { categories: 'x' } },
      'wrong-type',
      'cleanup.categories',
    ],
    [
      'null on a required field',
      { disk: null },
      'required-field-cleared',
      'disk',
    ],
    ['a version', { version: 3 }, 'not-overridable-here', 'version'],
    ['an unknown zone', { timeZone: 'Mars/Base' }, 'invalid-value', 'timeZone'],
    [
      'an unknown cycle kind',
      { cycles: { defrag: { enabled: false } } },
      'unknown-field',
      'cycles.defrag',
    ],
    [
      'a window with its end at its start',
      { maintenanceWindow: { start: '10:00', end: '10:00' } },
      'invalid-value',
      'maintenanceWindow',
    ],
  ])('refuses %s', (_name, layer, code, path) => {
    const error = errorOf(() => validateOverride('client', layer));

    expect(error.code).toBe(code);
    expect(error.path).toBe(path);
  });

  it('refuses the group fields on a device layer and allows them on a site', () => {
    const error = errorOf(() =>
      validateOverride('device', { timeZone: 'Europe/Paris' }),
    );

    expect(error.code).toBe('not-overridable-here');
    expect(() =>
      validateOverride('site', { cycles: { smart: { enabled: false } } }),
    ).not.toThrow();
  });
});

describe('cycleEnabled', () => {
  it('runs a kind unless a layer turns it off', () => {
    const policy = effectivePolicy({
      client: { cycles: { 'spyware-full': { enabled: false } } },
    });

    expect(cycleEnabled(policy, 'spyware-full')).toBe(false);
    expect(cycleEnabled(policy, 'maintenance')).toBe(true);
  });
});

describe('readEffectivePolicy', () => {
  it('drops fields it does not know and keeps its version', () => {
    const sent = {
      ...effectivePolicy({ client: { disk: { minFreePercent: 20 } } }),
      futureSection: { x: 1 },
    };

    const read = readEffectivePolicy(sent);

    expect(read.version).toBe(sent.version);
    expect(read.disk.minFreePercent).toBe(20);
    expect('futureSection' in read).toBe(false);
  });

  it('refuses a document without a positive version', () => {
    expect(errorOf(() => readEffectivePolicy({ disk: {} })).path).toBe(
      'version',
    );
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: 2 }], a: null })).toBe(
      '{"a":null,"b":[2,{"c":2,"d":1}]}',
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  deltaOf,
  parseGetRequest,
  parseUpdateRequest,
  ShadowRequestError,
  type StoredShadow,
  shadowLimits,
} from './shadow-document.js';

function update(current: StoredShadow | undefined, body: object, ts = 100) {
  return applyUpdate(current, parseUpdateRequest(JSON.stringify(body)), ts);
}

function codeOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof ShadowRequestError) return error.code;
    throw error;
  }
  return undefined;
}

describe('applyUpdate', () => {
  it('creates a shadow at version 1 with a timestamp at each leaf', () => {
    const shadow = update(undefined, {
      state: {
        desired: { version: 7, disk: { floor: 1 }, list: [1, { a: 2 }] },
      },
    });

    expect(shadow.version).toBe(1);
    expect(shadow.state).toEqual({
      desired: { version: 7, disk: { floor: 1 }, list: [1, { a: 2 }] },
    });
    expect(shadow.metadata.desired).toEqual({
      version: { timestamp: 100 },
      disk: { floor: { timestamp: 100 } },
      list: [{ timestamp: 100 }, { a: { timestamp: 100 } }],
    });
  });

  it('merges objects, replaces arrays and deletes null fields', () => {
    const first = update(undefined, {
      state: { desired: { a: { x: 1, y: 2 }, list: [1, 2], gone: 'soon' } },
    });

    const second = update(
      first,
      { state: { desired: { a: { y: 3 }, list: [9], gone: null } } },
      200,
    );

    expect(second.state.desired).toEqual({ a: { x: 1, y: 3 }, list: [9] });
    expect(second.metadata.desired).toEqual({
      a: { x: { timestamp: 100 }, y: { timestamp: 200 } },
      list: [{ timestamp: 200 }],
    });
    expect(second.version).toBe(2);
  });

  it('deletes a whole section given null', () => {
    const first = update(undefined, {
      state: { desired: { a: 1 }, reported: { a: 1 } },
    });

    const second = update(first, { state: { reported: null } });

    expect(second.state).toEqual({ desired: { a: 1 } });
    expect(second.metadata.reported).toBeUndefined();
  });

  it('refuses a request version other than the stored one', () => {
    const first = update(undefined, { state: { desired: { a: 1 } } });

    expect(codeOf(() => update(first, { state: {}, version: 5 }))).toBe(409);
    expect(
      update(first, { state: { desired: { a: 2 } }, version: 1 }).version,
    ).toBe(2);
  });

  it('refuses a state larger than the shadow limit', () => {
    const big = 'x'.repeat(shadowLimits.maxStateBytes);

    expect(
      codeOf(() => update(undefined, { state: { desired: { big } } })),
    ).toBe(413);
  });
});

describe('parseUpdateRequest', () => {
  it.each([
    ['not JSON', '{', 400],
    ['no state', '{"desired":{}}', 400],
    ['an unknown section', '{"state":{"delta":{}}}', 400],
    ['a scalar section', '{"state":{"desired":3}}', 400],
    [
      'too deep',
      `{"state":{"desired":${'{"a":'.repeat(7)}1${'}'.repeat(7)}}}`,
      400,
    ],
    ['a numeric token', '{"state":{},"clientToken":3}', 400],
  ])('refuses %s', (_name, payload, code) => {
    expect(codeOf(() => parseUpdateRequest(payload))).toBe(code);
  });

  it('takes an empty get and one with a client token', () => {
    expect(parseGetRequest('')).toEqual({});
    expect(parseGetRequest('{"clientToken":"t-1"}')).toEqual({
      clientToken: 't-1',
    });
  });
});

describe('deltaOf', () => {
  it('names desired fields reported lacks or differs on, deep', () => {
    expect(
      deltaOf(
        { v: 2, disk: { floor: 1, pct: 10 }, list: [1, 2], same: 'x' },
        { v: 1, disk: { floor: 1 }, list: [1, 2], same: 'x', extra: true },
      ),
    ).toEqual({ v: 2, disk: { pct: 10 } });
  });

  it('is empty when reported holds everything desired does', () => {
    expect(deltaOf({ a: { b: [1] } }, { a: { b: [1] }, c: 1 })).toEqual({});
    expect(deltaOf(undefined, { a: 1 })).toEqual({});
  });
});

import { describe, expect, it } from 'vitest';
import { WEBHOOK_RULE_PATTERN } from '../../core/events.js';
import { matchesPattern, PatternError } from './pattern.js';

const event = {
  source: 'upkeep',
  'detail-type': 'finding.opened',
  resources: ['upkeep:device/LAPTOP-7F3K2'],
  detail: {
    clientId: 'acme',
    finding: { severity: 'warning', code: 'disk.low-percent' },
  },
};

describe('matchesPattern', () => {
  it.each([
    ['the webhook rule', WEBHOOK_RULE_PATTERN, true],
    ['another source', { source: ['aws.ec2'] }, false],
    ['a nested detail value', { detail: { clientId: ['acme'] } }, true],
    ['another tenant', { detail: { clientId: ['globex'] } }, false],
    [
      'a deeper field',
      { detail: { finding: { severity: ['critical', 'warning'] } } },
      true,
    ],
    [
      'a prefix',
      { detail: { finding: { code: [{ prefix: 'disk.' }] } } },
      true,
    ],
    [
      'anything but this tenant',
      { detail: { clientId: [{ 'anything-but': ['acme'] }] } },
      false,
    ],
    ['a field that exists', { detail: { clientId: [{ exists: true }] } }, true],
    [
      'a field that is absent',
      { detail: { siteId: [{ exists: false }] } },
      true,
    ],
    ['a missing field', { detail: { siteId: ['hq'] } }, false],
    [
      'a value in a list field',
      { resources: ['upkeep:device/LAPTOP-7F3K2'] },
      true,
    ],
    [
      'every field (AND)',
      { source: ['upkeep'], 'detail-type': ['finding.resolved'] },
      false,
    ],
  ])('matches %s: %s', (_, pattern, expected) => {
    expect(matchesPattern(pattern as never, event)).toBe(expected);
  });

  it('rejects a pattern field that is neither a list nor an object', () => {
    expect(() => matchesPattern({ source: 'upkeep' } as never, event)).toThrow(
      PatternError,
    );
  });
});

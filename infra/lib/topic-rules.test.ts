import { describe, expect, it } from 'vitest';
import { TOPIC_RULES } from '../../core/rules.js';
import { topicRuleName } from './topic-rules.js';

// IoT rule names: letters, digits and underscores, at most 128.
const RULE_NAME = /^[a-zA-Z0-9_]{1,128}$/;

describe('topicRuleName', () => {
  it('keeps the core names for the default deployment', () => {
    expect(TOPIC_RULES.map((r) => topicRuleName('upkeep', r.name))).toEqual(
      TOPIC_RULES.map((r) => r.name),
    );
  });

  it('prefixes another deployment and turns its dashes into underscores', () => {
    expect(topicRuleName('upkeep-staging', 'upkeep_reports')).toBe(
      'upkeep_staging_reports',
    );
    expect(topicRuleName('acme-msp-2', 'upkeep_hello')).toBe(
      'acme_msp_2_hello',
    );
  });

  it('produces names IoT accepts for the longest deployment name', () => {
    const longest = 'a'.repeat(23).concat('z');

    for (const rule of TOPIC_RULES) {
      expect(topicRuleName(longest, rule.name)).toMatch(RULE_NAME);
    }
  });
});

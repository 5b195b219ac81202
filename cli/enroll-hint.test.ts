import { describe, expect, it } from 'vitest';
import { agentCommandHint } from './enroll-hint.js';

describe('agentCommandHint', () => {
  it('gives the agent a state folder of its own thing', () => {
    expect(agentCommandHint('bundle-my-laptop', 'my-laptop')).toBe(
      'next: upkeep agent --bundle bundle-my-laptop ' +
        '--state .state/agents/my-laptop',
    );
  });
});

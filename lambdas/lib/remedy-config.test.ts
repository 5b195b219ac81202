import { describe, expect, it } from 'vitest';
import { mergeRemediation } from './client-policy.js';
import { remedyJobId } from './job-id.js';
import { readRemedyConfig } from './remedy-config.js';

const ARN = 'arn:aws:iot:eu-west-1:111122223333:thing/';

describe('readRemedyConfig', () => {
  it('turns remedies off without a signing secret', () => {
    expect(readRemedyConfig({ THING_ARN_PREFIX: ARN })).toBeUndefined();
  });

  it('reads the secret id, the ARN prefix and the defaults', () => {
    const config = readRemedyConfig({
      JOB_SIGNING_SECRET_ID: 'arn:aws:secretsmanager:eu-west-1:1:secret:s',
      THING_ARN_PREFIX: ARN,
    });

    expect(config).toEqual({
      signingSecret: {
        kind: 'secrets-manager',
        secretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:s',
      },
      thingArnPrefix: ARN,
      jobIdPrefix: 'upkeep',
      documentTtlHours: 168,
    });
  });

  it('names the variable whose value is wrong', () => {
    const read = () =>
      readRemedyConfig({
        JOB_SIGNING_SECRET: 'x'.repeat(40),
        THING_ARN_PREFIX: 'arn:aws:iot:eu-west-1:1:thinggroup/',
      });

    expect(read).toThrow(/THING_ARN_PREFIX must match/);
  });
});

describe('remedyJobId', () => {
  const parts = {
    prefix: 'upkeep',
    thingName: 'laptop-0042',
    code: 'wu.component-store-corrupt',
    subject: 'KB5034441',
    occurrence: 1,
    attempt: 2,
  };

  it('is the same for the same step of the same finding', () => {
    expect(remedyJobId(parts)).toBe(remedyJobId({ ...parts }));
    expect(remedyJobId(parts)).toMatch(/^upkeep-[0-9a-f]{20}-o1-a2$/);
  });

  it('differs by attempt, occurrence and finding, within 64 characters', () => {
    const ids = new Set([
      remedyJobId(parts),
      remedyJobId({ ...parts, attempt: 3 }),
      remedyJobId({ ...parts, occurrence: 2 }),
      remedyJobId({ ...parts, subject: 'KB5034442' }),
      remedyJobId({
        ...parts,
        prefix: 'x'.repeat(24),
        thingName: 'y'.repeat(128),
      }),
    ]);

    expect(ids.size).toBe(5);
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });
});

describe('mergeRemediation', () => {
  it('keeps the default of every product the client did not choose', () => {
    const merged = mergeRemediation({
      products: { antivirus: 'sophos' } as never,
    });

    expect(merged).toEqual({
      mode: 'auto',
      maxAttempts: 4,
      products: { antivirus: 'sophos', patches: 'auto' },
      suppressCodes: [],
      installSoftware: false,
    });
  });
});

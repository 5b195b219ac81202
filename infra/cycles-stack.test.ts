import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './lib/app.js';
import { scheduleDefaults } from './lib/cycle-schedules.js';
import type { UpkeepStack } from './lib/upkeep-stack.js';

// biome-ignore lint/suspicious/noExplicitAny: templates are untyped JSON
type Json = Record<string, any>;

let stack: UpkeepStack;
let resources: Record<string, Json>;
const outdir = mkdtempSync(join(tmpdir(), 'upkeep-cycles-stack-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

beforeAll(() => {
  const context = {
    'upkeep:deploymentName': 'upkeep-test',
    'upkeep:cycleTimeZones': 'Europe/Paris,America/New_York',
  };
  ({ stack } = createApp({ context, outdir }));
  resources = Template.fromStack(stack).toJSON().Resources;
}, 120_000);

function ofType(type: string): Json[] {
  return Object.values(resources).filter((r) => r.Type === type);
}

function logicalId(node: { node: { defaultChild?: unknown } }) {
  return stack.getLogicalId(node.node.defaultChild as CfnElement);
}

function statementsOf(roleId: string): Json[] {
  return ofType('AWS::IAM::Policy')
    .filter((p) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

/** A Join of strings and pseudo parameters, as text. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as Json)['Fn::Join'];
  if (join) return (join[1] as unknown[]).map(text).join('');
  return `<${(value as Json).Ref}>`;
}

describe('the cycle schedules', () => {
  it('schedules each cron kind in each client zone, and the rest once', () => {
    // The cycle group's schedules; other capabilities have their own.
    const group = { Ref: stack.getLogicalId(stack.cycleSchedules.group) };
    const schedules = ofType('AWS::Scheduler::Schedule').filter(
      (s) => JSON.stringify(s.Properties.GroupName) === JSON.stringify(group),
    );
    const maintenance = schedules.filter((s) =>
      s.Properties.Target.Input.includes('"maintenance"'),
    );

    // 3 rate kinds, 4 cron kinds x 2 zones, the sweep, the reconciliation.
    expect(schedules).toHaveLength(3 + 8 + 2);
    expect(
      maintenance.map((s) => s.Properties.ScheduleExpressionTimezone).sort(),
    ).toEqual(['America/New_York', 'Europe/Paris']);
    for (const schedule of schedules) {
      expect(schedule.Properties.FlexibleTimeWindow).toEqual({
        Mode: 'FLEXIBLE',
        MaximumWindowInMinutes: scheduleDefaults.flexibleWindowMinutes,
      });
      expect(schedule.Properties.Target.RoleArn).toEqual({
        'Fn::GetAtt': [logicalId(stack.cycleSchedules.role), 'Arn'],
      });
    }
  });

  it('lets Scheduler invoke the three functions and nothing else', () => {
    const statements = statementsOf(logicalId(stack.cycleSchedules.role));
    const { cycles, sweep, policy } = stack.cycleFunctions;

    expect(statements).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        Effect: 'Allow',
        Resource: [cycles, sweep, policy].map((f) => ({
          'Fn::GetAtt': [logicalId(f.fn), 'Arn'],
        })),
      },
    ]);
  });
});

describe('the cycle functions', () => {
  it('lets the cycles function publish to the group cycle topics only', () => {
    const iot = statementsOf(
      logicalId(stack.cycleFunctions.cycles.role),
    ).filter((s) => String(s.Action).startsWith('iot:'));

    expect(iot.map((s) => [s.Action, text(s.Resource)])).toEqual([
      [
        'iot:Publish',
        'arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:topic/upkeep/v1/groups/*/cycles',
      ],
      ['iot:DescribeEndpoint', '*'],
    ]);
  });

  it('lets the policy function read and write the policy shadows only', () => {
    const shadow = statementsOf(
      logicalId(stack.cycleFunctions.policy.role),
    ).find(
      (s) =>
        Array.isArray(s.Action) && s.Action.includes('iot:UpdateThingShadow'),
    );

    expect(text(shadow?.Resource)).toBe(
      'arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:thing/*/policy',
    );
  });

  it('routes lifecycle events to the presence function, errors to the error queue', () => {
    const rule = ofType('AWS::IoT::TopicRule').find(
      (r) => r.Properties.RuleName === 'upkeep_test_presence',
    );
    const payload = rule?.Properties.TopicRulePayload;

    expect(payload.Sql).toBe("SELECT * FROM '$aws/events/presence/+/+'");
    expect(payload.Actions[0].Lambda.FunctionArn).toEqual({
      'Fn::GetAtt': [logicalId(stack.cycleFunctions.presence.fn), 'Arn'],
    });
    expect(payload.ErrorAction.Sqs.QueueUrl).toEqual({
      Ref: logicalId(stack.queues.ruleErrors),
    });
  });
});

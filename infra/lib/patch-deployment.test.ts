import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { DataTable } from './data-table.js';
import { PatchDeployment } from './patch-deployment.js';
import { Remedies } from './remedies.js';

/**
 * The planner's resources on their own (bundling its function once); the
 * whole stack with cdk-nag is in infra/upkeep-stack.test.ts.
 */
function synth() {
  const stack = new Stack(new App(), 'T');
  const table = new DataTable(stack, 'Data');
  const common = {
    logLevel: 'INFO' as const,
    logRetention: RetentionDays.ONE_MONTH,
  };
  const remedies = new Remedies(stack, 'Remedies', {
    deploymentName: 'acme',
    table,
    ...common,
  });
  const patches = new PatchDeployment(stack, 'Patches', {
    deploymentName: 'acme',
    table,
    remedies,
    asyncFailures: new Queue(stack, 'AsyncFailures'),
    ...common,
  });
  return { stack, patches, template: Template.fromStack(stack) };
}

describe('PatchDeployment', () => {
  const { stack, patches, template } = synth();
  const id = (c: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(c.node.defaultChild as never);
  const policyOf = (roleId: string) =>
    Object.values(template.toJSON().Resources).find(
      (r) =>
        (r as { Type: string }).Type === 'AWS::IAM::Policy' &&
        JSON.stringify(r).includes(roleId),
    ) as { Properties: { PolicyDocument: { Statement: unknown[] } } };

  it('runs the planner every hour with an empty event', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'acme-patch-planner',
      ScheduleExpression: 'rate(1 hour)',
      Target: { Input: '{}' },
    });
  });

  it('hands the planner the table and the signing settings', () => {
    const fn = template.toJSON().Resources[id(patches.planner.fn)];
    expect(fn.Properties.Environment.Variables).toMatchObject({
      JOB_ID_PREFIX: 'acme',
      POWERTOOLS_SERVICE_NAME: 'upkeep-patch-planner',
    });
    expect(fn.Properties.Timeout).toBe(600);
  });

  it("limits CreateJob and DescribeJob to the deployment's patch jobs", () => {
    const statements = policyOf(id(patches.planner.role)).Properties
      .PolicyDocument.Statement;
    const iot = statements.find((s) =>
      JSON.stringify(s).includes('iot:CreateJob'),
    ) as { Action: string[]; Resource: unknown[] };

    expect(iot.Action).toEqual(['iot:CreateJob', 'iot:DescribeJob']);
    expect(JSON.stringify(iot.Resource)).toContain(':job/acme-patch-*');
    expect(JSON.stringify(statements)).not.toContain('iot:*');
  });
});

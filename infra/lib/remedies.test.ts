import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { DataTable } from './data-table.js';
import { Remedies } from './remedies.js';

/**
 * The remedy resources on their own (bundling the function once). The
 * whole stack's assertions are in infra/upkeep-stack.test.ts.
 */
function synth() {
  const stack = new Stack(new App(), 'T');
  const table = new DataTable(stack, 'Data');
  const remedies = new Remedies(stack, 'Remedies', {
    deploymentName: 'acme',
    table,
    logLevel: 'INFO',
    logRetention: RetentionDays.ONE_MONTH,
  });
  return { stack, remedies, template: Template.fromStack(stack) };
}

describe('Remedies', () => {
  const { stack, remedies, template } = synth();
  const id = (c: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(c.node.defaultChild as never);

  it('generates the signing secret in Secrets Manager', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
  });

  it('hands the job-events function the secret id, the ARN prefix and the job prefix', () => {
    const fn = template.toJSON().Resources[id(remedies.jobEvents.fn)];
    const variables = fn.Properties.Environment.Variables;

    expect(variables).toMatchObject({
      JOB_SIGNING_SECRET_ID: { Ref: id(remedies.signingSecret) },
      JOB_ID_PREFIX: 'acme',
      POWERTOOLS_SERVICE_NAME: 'upkeep-job-events',
      DEAD_LETTER_QUEUE_URL: { Ref: id(remedies.deadLetter) },
    });
    expect(JSON.stringify(variables.THING_ARN_PREFIX)).toContain(':thing/');
    expect(fn.Properties.Layers).toHaveLength(1);
  });

  it('feeds the function its queue in batches with partial failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 180,
      RedrivePolicy: { maxReceiveCount: 5 },
    });
  });

  it("limits CreateJob to the deployment's jobs and to things", () => {
    const policy = JSON.stringify(template.findResources('AWS::IAM::Policy'));

    expect(policy).toContain('iot:CreateJob');
    expect(policy).toContain(':job/acme-*');
    expect(policy).toContain(':thing/*');
    expect(policy).not.toContain('iot:*');
  });
});

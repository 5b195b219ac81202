import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../core/events.js';
import { DataTable } from './data-table.js';
import { UpkeepEvents } from './events.js';
import { paths } from './paths.js';
import { UpkeepFunction } from './upkeep-function.js';

/**
 * The event resources on their own, with one publisher and one manager
 * (the API's role), bundling each function once.
 */
function synth() {
  const stack = new Stack(new App(), 'T');
  const table = new DataTable(stack, 'Data');
  const events = new UpkeepEvents(stack, 'Events', {
    deploymentName: 'acme',
    table,
    logLevel: 'INFO',
    logRetention: RetentionDays.ONE_MONTH,
  });
  const common = {
    memorySize: 256,
    timeout: events.webhooks.fn.timeout ?? ({} as never),
    logLevel: 'INFO' as const,
    logRetention: RetentionDays.ONE_MONTH,
    environment: {},
  };
  const publisher = new UpkeepFunction(stack, 'Publisher', {
    ...common,
    entry: paths.sweepHandler,
    serviceName: 'upkeep-sweep',
  });
  const manager = new UpkeepFunction(stack, 'Manager', {
    ...common,
    // Any small handler: the test looks at the grants, not the code.
    entry: paths.presenceHandler,
    serviceName: 'upkeep-manager',
  });
  events.grantPublish(publisher);
  events.grantManage(manager, { addExtension: true });
  return {
    stack,
    events,
    publisher,
    manager,
    template: Template.fromStack(stack),
  };
}

type Statement = {
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
};

describe('UpkeepEvents', () => {
  const { stack, events, publisher, manager, template } = synth();
  const id = (c: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(c.node.defaultChild as never);
  const statementsOf = (roleId: string): Statement[] =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);

  it('creates the deployment-named custom bus', () => {
    template.hasResourceProperties('AWS::Events::EventBus', {
      Name: 'acme-events',
    });
  });

  it('routes every Upkeep event type to the webhooks queue, with a DLQ', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: id(events.bus) },
      EventPattern: { source: ['upkeep'], 'detail-type': [...EVENT_TYPES] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [id(events.queue), 'Arn'] },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [id(events.deadLetter), 'Arn'] },
          },
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400 },
        }),
      ],
    });
  });

  it('lets only this rule send to the webhooks queue', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: id(events.queue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['sqs:SendMessage']),
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              ArnEquals: {
                'aws:SourceArn': { 'Fn::GetAtt': [id(events.rule), 'Arn'] },
              },
            },
          }),
        ]),
      },
    });
  });

  it('feeds the webhooks function in small batches with partial failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [id(events.queue), 'Arn'] },
      BatchSize: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const fn = template.toJSON().Resources[id(events.webhooks.fn)];
    expect(fn.Properties.Environment.Variables).toMatchObject({
      WEBHOOK_URL_MODE: 'aws',
      WEBHOOK_KEY_SECRET_ID: { Ref: id(events.keySecret) },
      WEBHOOK_QUEUE_URL: { Ref: id(events.queue) },
      WEBHOOK_DEAD_LETTER_QUEUE_URL: { Ref: id(events.deadLetter) },
    });
    expect(fn.Properties.Layers).toHaveLength(1);
  });

  it('keeps the master secret generated, never in the template', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/"SecretString"/);
  });

  it('limits publishers to PutEvents of source upkeep on this bus', () => {
    const statements = statementsOf(id(publisher.role));
    expect(statements).toContainEqual({
      Action: 'events:PutEvents',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [id(events.bus), 'Arn'] },
      Condition: { StringEquals: { 'events:source': 'upkeep' } },
    });
    const fn = template.toJSON().Resources[id(publisher.fn)];
    expect(fn.Properties.Environment.Variables.EVENT_BUS_NAME).toEqual({
      Ref: id(events.bus),
    });
  });

  it('lets the webhooks function and the API write webhook items only', () => {
    for (const role of [events.webhooks.role, manager.role]) {
      const writes = statementsOf(id(role)).filter((s) =>
        [s.Action].flat().some((a) => /^dynamodb:(Put|Update|Delete)/.test(a)),
      );
      expect(writes.length).toBeGreaterThan(0);
      for (const statement of writes) {
        expect(statement.Condition).toEqual({
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['WEBHOOK#*'] },
        });
      }
    }
    const actions = statementsOf(id(events.webhooks.role)).flatMap((s) =>
      [s.Action].flat(),
    );
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('events:PutEvents');
  });

  it('gives the API the secret and the extension it reads it through', () => {
    const fn = template.toJSON().Resources[id(manager.fn)];
    expect(fn.Properties.Environment.Variables.WEBHOOK_KEY_SECRET_ID).toEqual({
      Ref: id(events.keySecret),
    });
    expect(fn.Properties.Layers).toHaveLength(1);
    const reads = statementsOf(id(manager.role)).filter((s) =>
      [s.Action].flat().includes('secretsmanager:GetSecretValue'),
    );
    expect(reads.map((s) => s.Resource)).toEqual([
      { Ref: id(events.keySecret) },
    ]);
  });
});

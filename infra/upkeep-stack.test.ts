import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IResource } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Runtime, RuntimeFamily } from 'aws-cdk-lib/aws-lambda';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { IOT_SQL_VERSION, TOPIC_RULES } from '../core/rules.js';
import { TABLE } from '../core/table.js';
import { devicePolicyDocument } from './lib/device-policy.js';
import { API_ROUTES } from './lib/http-api.js';
import { ingestDefaults } from './lib/ingest-function.js';
import { REPO_ROOT } from './lib/paths.js';
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from './lib/table-access.js';
import { topicRuleName } from './lib/topic-rules.js';
import { FUNCTION_RUNTIME, UpkeepFunction } from './lib/upkeep-function.js';
import type { UpkeepStack } from './lib/upkeep-stack.js';
import { type Json, render, synthOnce } from './test-support/synth.js';

/** What Lambda would set, with every address on loopback. */
const bundleEnv = {
  PATH: process.env.PATH,
  TABLE_NAME: 'upkeep-test-table',
  DEAD_LETTER_QUEUE_URL: 'http://127.0.0.1:9/000000000000/dead-letters',
  AWS_REGION: 'eu-west-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  JOB_SIGNING_SECRET_ID: 'arn:aws:secretsmanager:eu-west-1:1:secret:s',
  THING_ARN_PREFIX: 'arn:aws:iot:eu-west-1:111122223333:thing/',
};

// One synthesis for the whole file: it bundles every function with esbuild.
const synth = synthOnce();
let stack: UpkeepStack;
let assembly: CloudAssembly;
let template: Template;
let resources: Record<string, Json>;
beforeAll(() => {
  ({ stack, assembly, template, resources } = synth);
});

const id = (construct: { node: IResource['node'] }) => synth.id(construct);
const ref = (construct: { node: IResource['node'] }) => synth.ref(construct);
const arnOf = (construct: { node: IResource['node'] }) =>
  synth.arnOf(construct);
const ofType = (type: string) => synth.ofType(type);
const statementsOf = (role: { node: IResource['node'] }) =>
  synth.statementsOf(role);

/** What `secret.grantRead` gives a role. */
const secretRead = (secret: { node: IResource['node'] }) => ({
  Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
  Effect: 'Allow',
  Resource: ref(secret),
});

/** The X-Ray statement every function role has (upkeep-function.ts). */
const XRAY = {
  Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  Effect: 'Allow',
  Resource: '*',
};

function upkeepFunctions() {
  return stack.node
    .findAll()
    .filter((c): c is UpkeepFunction => c instanceof UpkeepFunction);
}

/** The remedy senders' IoT statement (infra/lib/remedies.ts). */
function iotJobsStatement() {
  const arn = (resource: string) => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':iot:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:${resource}`,
      ],
    ],
  });
  return {
    Action: ['iot:CreateJob', 'iot:DescribeJobExecution'],
    Effect: 'Allow',
    Resource: [arn('job/upkeep-test-*'), arn('thing/*')],
  };
}

describe('the table', () => {
  it('follows the core table definition', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      TimeToLiveSpecification: {
        AttributeName: TABLE.timeToLiveAttribute,
        Enabled: true,
      },
    });
  });

  it('is on-demand, recoverable, encrypted and retained', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
      },
    });
  });
});

describe('the queues', () => {
  it('redrives the ingest queue to the DLQ after 5 receives', () => {
    const ingest = resources[id(stack.queues.ingest)];

    expect(ingest?.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: arnOf(stack.queues.deadLetter),
      maxReceiveCount: 5,
    });
  });

  it('hides a received message for 6 times the ingest timeout', () => {
    const ingest = resources[id(stack.queues.ingest)];
    const timeout = resources[id(stack.ingest.fn)]?.Properties.Timeout;

    expect(timeout).toBe(ingestDefaults.timeout.toSeconds());
    expect(ingest?.Properties.VisibilityTimeout).toBe(6 * timeout);
  });

  it('encrypts every queue (SSE-SQS) and refuses plain HTTP', () => {
    const queues = ofType('AWS::SQS::Queue');
    // ingest, job events, their dead letters, rule errors, async failures,
    // undelivered alarms.
    expect(queues.length).toBeGreaterThanOrEqual(7);

    for (const [logicalId, queue] of queues) {
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId }],
        PolicyDocument: {
          // The undelivered-alarms queue also lets SNS send to it.
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('keeps failed messages for the SQS maximum of 14 days', () => {
    for (const queue of [stack.queues.deadLetter, stack.queues.ruleErrors]) {
      expect(resources[id(queue)]?.Properties.MessageRetentionPeriod).toBe(
        14 * 24 * 3600,
      );
    }
  });
});

describe('the topic rules', () => {
  it('creates one rule per core rule, named for the deployment', () => {
    const rules = ofType('AWS::IoT::TopicRule');

    expect(rules.map(([, r]) => r.Properties.RuleName).sort()).toEqual(
      [
        ...TOPIC_RULES.map((r) => topicRuleName('upkeep-test', r.name)),
        // Lifecycle events to the presence function (cycle-functions.ts).
        topicRuleName('upkeep-test', 'upkeep_presence'),
      ].sort(),
    );
    expect(topicRuleName('upkeep-test', 'upkeep_reports')).toBe(
      'upkeep_test_reports',
    );
  });

  it.each(TOPIC_RULES.map((r) => [r.name, r] as const))(
    'sends %s to its queue and its errors to the error queue',
    (_, rule) => {
      const queue =
        rule.queue === 'ingest' ? stack.queues.ingest : stack.remedies.queue;
      const [, resource] = ofType('AWS::IoT::TopicRule').find(
        ([, r]) =>
          r.Properties.RuleName === topicRuleName('upkeep-test', rule.name),
      ) ?? [undefined, undefined];
      const payload = resource?.Properties.TopicRulePayload;

      expect(payload.Sql).toBe(rule.sql);
      expect(payload.AwsIotSqlVersion).toBe(IOT_SQL_VERSION);
      expect(payload.RuleDisabled).toBe(false);
      expect(payload.Actions).toHaveLength(1);
      expect(payload.Actions[0].Sqs.QueueUrl).toEqual(ref(queue));
      expect(payload.ErrorAction.Sqs.QueueUrl).toEqual(
        ref(stack.queues.ruleErrors),
      );
    },
  );

  it('gives each rule action a role that may only send to its queue', () => {
    const [, rule] = ofType('AWS::IoT::TopicRule')[0] ?? [];
    const payload = rule?.Properties.TopicRulePayload;
    const targets = [
      [payload.Actions[0].Sqs, stack.queues.ingest],
      [payload.ErrorAction.Sqs, stack.queues.ruleErrors],
    ] as const;

    for (const [action, queue] of targets) {
      const roleId = action.RoleArn['Fn::GetAtt'][0];
      const policies = ofType('AWS::IAM::Policy').filter(([, p]) =>
        p.Properties.Roles.some((r: Json) => r.Ref === roleId),
      );

      expect(policies).toHaveLength(1);
      expect(policies[0]?.[1].Properties.PolicyDocument.Statement).toEqual([
        { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: arnOf(queue) },
      ]);
      const trust = resources[roleId]?.Properties.AssumeRolePolicyDocument;
      expect(trust.Statement[0].Principal).toEqual({
        Service: 'iot.amazonaws.com',
      });
      expect(render(trust.Statement[0].Condition)).toEqual({
        StringEquals: { 'aws:SourceAccount': '111122223333' },
        ArnEquals: {
          'aws:SourceArn': TOPIC_RULES.filter(
            (r) => queue === stack.queues.ruleErrors || r.queue === 'ingest',
          ).map(
            (r) =>
              'arn:aws:iot:eu-west-1:111122223333:rule/' +
              topicRuleName('upkeep-test', r.name),
          ),
        },
      });
    }
  });
});

describe('the functions', () => {
  it('uses the newest Node.js runtime aws-cdk-lib offers', () => {
    const node = Runtime.ALL.filter((r) => r.family === RuntimeFamily.NODEJS);
    const version = (r: Runtime) => Number(/\d+/.exec(r.name)?.[0] ?? 0);
    const newest = node.reduce((a, b) => (version(b) > version(a) ? b : a));

    expect(FUNCTION_RUNTIME.name).toBe(newest.name);
    for (const fn of upkeepFunctions()) {
      expect(resources[id(fn.fn)]?.Properties.Runtime).toBe(newest.name);
    }
  });

  it('runs every function on arm64, traced, with their settings', () => {
    const functions = upkeepFunctions();
    // ingest, api, job-events; cycles, policy, sweep, presence; pre token.
    expect(functions.length).toBeGreaterThanOrEqual(8);

    for (const fn of functions) {
      const props = resources[id(fn.fn)]?.Properties;
      expect(props.Architectures).toEqual(['arm64']);
      expect(props.Handler).toBe('index.handler');
      expect(props.TracingConfig).toEqual({ Mode: 'Active' });
      expect(props.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: fn.serviceName,
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
      });
      // Every function but the sign-in trigger and the deployment-time
      // public key resource works on the table.
      if (
        fn !== stack.userAuth.preToken &&
        fn !== stack.remedies.publicKey.fn
      ) {
        expect(props.Environment.Variables.TABLE_NAME).toEqual(
          ref(stack.table.table),
        );
      }
    }
    const ingest = resources[id(stack.ingest.fn)]?.Properties;
    expect(ingest.Environment.Variables).toMatchObject({
      DEAD_LETTER_QUEUE_URL: ref(stack.queues.deadLetter),
      POWERTOOLS_SERVICE_NAME: 'upkeep-ingest',
    });
  });

  it('bundles each handler as an ES module that loads and exports handler', () => {
    // The Lambda runtime provides AWS SDK v3 and the bundles leave it out.
    // Only the @aws-sdk scope is linked beside the assets, so any other
    // package missing from a bundle still fails to load here.
    const modules = join(assembly.directory, 'node_modules');
    mkdirSync(modules, { recursive: true });
    if (!existsSync(join(modules, '@aws-sdk'))) {
      symlinkSync(
        join(REPO_ROOT, 'node_modules', '@aws-sdk'),
        join(modules, '@aws-sdk'),
      );
    }

    for (const fn of [
      stack.ingest.fn,
      stack.api.handler.fn,
      stack.remedies.jobEvents.fn,
      stack.userAuth.preToken.fn,
    ]) {
      const key: string = resources[id(fn)]?.Properties.Code.S3Key;
      const hash = key.replace(/\.zip$/, '');
      const bundle = join(assembly.directory, `asset.${hash}`, 'index.mjs');
      expect(existsSync(bundle)).toBe(true);

      // Importing runs the module's top level (config from the environment,
      // client construction) as a cold start would; nothing is called.
      const result = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)});` +
            'process.stdout.write(typeof m.handler);',
        ],
        { encoding: 'utf8', env: bundleEnv, timeout: 20_000 },
      );
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('function');
    }
  });

  it('logs each function to its own group, with retention', () => {
    for (const fn of [stack.ingest, stack.api.handler]) {
      const props = resources[id(fn.fn)]?.Properties;

      expect(props.LoggingConfig.LogGroup).toEqual(ref(fn.logGroup));
      expect(resources[id(fn.logGroup)]?.Properties.RetentionInDays).toBe(14);
    }
  });

  it('feeds the ingest function batches of 10 with partial failures', () => {
    // Ingest, job events and webhooks.
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 3);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arnOf(stack.queues.ingest),
      FunctionName: ref(stack.ingest.fn),
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('the IAM policies', () => {
  const tableArns = () => [
    arnOf(stack.table.table),
    { 'Fn::Join': ['', [arnOf(stack.table.table), '/index/gsi1']] },
  ];

  it('lets ingest use the table, the DLQ, the signing secret and its jobs', () => {
    expect(statementsOf(stack.ingest.role)).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: arnOf(stack.ingest.logGroup),
      },
      XRAY,
      {
        Action: [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
        Effect: 'Allow',
        Resource: tableArns(),
      },
      {
        Action: 'sqs:SendMessage',
        Effect: 'Allow',
        Resource: arnOf(stack.queues.deadLetter),
      },
      {
        Action: [
          'sqs:ReceiveMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueUrl',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
        ],
        Effect: 'Allow',
        Resource: arnOf(stack.queues.ingest),
      },
      secretRead(stack.remedies.signingSecret),
      iotJobsStatement(),
      {
        Action: 'events:PutEvents',
        Condition: { StringEquals: { 'events:source': 'upkeep' } },
        Effect: 'Allow',
        Resource: arnOf(stack.events.bus),
      },
    ]);
  });

  it('lets the api function read the table and write only its own items', () => {
    const statements = statementsOf(stack.api.handler.role);

    expect(statements).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: arnOf(stack.api.handler.logGroup),
      },
      XRAY,
      {
        Action: [...TABLE_READ_ACTIONS],
        Effect: 'Allow',
        Resource: tableArns(),
      },
      {
        // Findings, policy layers, approvals, runs, idempotency records.
        Action: [
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ],
        Condition: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [
              'DEVICE#*',
              'CLIENT#*',
              'POLICY',
              'RUN#*',
              'IDEMPOTENCY#api.*',
            ],
          },
        },
        Effect: 'Allow',
        Resource: arnOf(stack.table.table),
      },
      // On-demand runs sign their jobs (docs/remedies.md).
      secretRead(stack.remedies.signingSecret),
      iotJobsStatement(),
      secretRead(stack.events.keySecret),
      {
        // Webhook subscriptions only (docs/events.md).
        Action: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ],
        Condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['WEBHOOK#*'] },
        },
        Effect: 'Allow',
        Resource: arnOf(stack.table.table),
      },
    ]);
    const unconditioned = statements
      .filter((s) => !('Condition' in s))
      .flatMap((s) => s.Action);
    for (const write of TABLE_WRITE_ACTIONS) {
      expect(unconditioned).not.toContain(write);
    }
  });

  it('gives the api function the settings of runs and webhooks and one secrets extension', () => {
    const fn = resources[id(stack.api.handler.fn)];
    const variables = fn?.Properties.Environment.Variables;

    expect(variables).toMatchObject({
      JOB_SIGNING_SECRET_ID: ref(stack.remedies.signingSecret),
      JOB_ID_PREFIX: 'upkeep-test',
      WEBHOOK_KEY_SECRET_ID: ref(stack.events.keySecret),
    });
    expect(JSON.stringify(variables.THING_ARN_PREFIX)).toContain(':thing/');
    expect(fn?.Properties.Layers).toHaveLength(1);
    expect(JSON.stringify(fn?.Properties.Layers)).toContain('Paramsandsecrets');
  });
});

describe('the HTTP API', () => {
  it('routes the OpenAPI document and every other path to the api function', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route');

    expect(routes.map(([, r]) => r.Properties.RouteKey).sort()).toEqual(
      ['ANY /{proxy+}', 'GET /openapi.json'].sort(),
    );
    for (const [, integration] of ofType('AWS::ApiGatewayV2::Integration')) {
      expect(integration.Properties.IntegrationUri).toEqual(
        arnOf(stack.api.handler.fn),
      );
    }
  });

  it('serves the same routes as the local stand-in', async () => {
    const local = await import('../local/http-api/routes.js');

    expect(API_ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual([
      ...local.API_ROUTE_KEYS,
    ]);
  });

  it('requires a user pool JWT on every route but the public one', async () => {
    const local = await import('../local/http-api/routes.js');
    const routes = ofType('AWS::ApiGatewayV2::Route');
    const [authorizerId, authorizer] =
      ofType('AWS::ApiGatewayV2::Authorizer')[0] ?? [];
    expect(routes.length).toBeGreaterThan(0);

    expect(authorizer?.Properties.JwtConfiguration.Audience).toEqual([
      ref(stack.userAuth.client),
    ]);
    for (const [, route] of routes) {
      const key: string = route.Properties.RouteKey;
      if ((local.PUBLIC_ROUTE_KEYS as readonly string[]).includes(key)) {
        expect(route.Properties.AuthorizationType).toBe('NONE');
        continue;
      }
      expect(route.Properties.AuthorizationType, key).toBe('JWT');
      expect(route.Properties.AuthorizerId).toEqual({ Ref: authorizerId });
    }
  });

  it('logs access as JSON and throttles the default stage', () => {
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0] ?? [];
    const props = stage?.Properties;

    expect(props.StageName).toBe('$default');
    expect(props.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 100,
    });
    expect(JSON.parse(props.AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
      user: '$context.authorizer.claims.sub',
      scope: '$context.authorizer.claims.upkeep_scope',
      status: '$context.status',
    });
  });
});

describe('the device policy', () => {
  it('is the document with thing variables, named for the deployment', () => {
    const [, policy] = ofType('AWS::IoT::Policy')[0] ?? [];

    expect(policy?.Properties.PolicyName).toBe('upkeep-test-device');
    expect(render(policy?.Properties.PolicyDocument)).toEqual(
      devicePolicyDocument({
        partition: 'aws',
        region: 'eu-west-1',
        account: '111122223333',
      }),
    );
    expect(JSON.stringify(policy?.Properties.PolicyDocument)).toContain(
      `client/\${iot:Connection.Thing.ThingName}`,
    );
  });
});

describe('the fleet', () => {
  it('keeps the thing type when the stack goes, since things still use it', () => {
    template.hasResource('AWS::IoT::ThingType', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { ThingTypeName: 'upkeep-test-endpoint' },
    });
  });
});

describe('the alarms', () => {
  it('alarms on every failure queue, every function and API errors', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(
      ([, a]) => a.Properties,
    );
    const queueAlarm = (queue: { node: IResource['node'] }) =>
      alarms.find(
        (a) =>
          a.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          a.Dimensions[0].Value['Fn::GetAtt'][0] === id(queue),
      );
    const finalQueues = [
      stack.queues.deadLetter,
      stack.queues.ruleErrors,
      stack.queues.asyncFailures,
      stack.remedies.deadLetter,
      stack.alarms.undelivered,
    ];

    for (const queue of finalQueues) {
      expect(queueAlarm(queue), queue.node.path).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        Statistic: 'Maximum',
      });
    }
    expect(queueAlarm(stack.queues.ingest)).toBeUndefined();
    for (const fn of upkeepFunctions()) {
      expect(
        alarms.find(
          (a) =>
            a.MetricName === 'Errors' &&
            a.Dimensions[0].Value.Ref === id(fn.fn),
        ),
        fn.node.path,
      ).toMatchObject({ Namespace: 'AWS/Lambda', Threshold: 0 });
    }
    expect(alarms.find((a) => a.MetricName === '5xx')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      Threshold: 5,
    });
  });

  it('notifies the alarm topic, which mails the configured address', () => {
    for (const [, alarm] of ofType('AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.AlarmActions).toEqual([ref(stack.alarms.topic)]);
    }
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@msp.example',
      TopicArn: ref(stack.alarms.topic),
    });
  });
});

describe('the stack', () => {
  it('is environment-agnostic and named for the deployment', () => {
    expect(stack.stackName).toBe('upkeep-test');
    expect(stack.environment).toBe('aws://unknown-account/unknown-region');
  });

  it('outputs what enrolment and operators need, under plain names', () => {
    // `cdk deploy --outputs-file` keys outputs by logical id, and the
    // enrol command reads them by these names (cli/enroll-options.ts).
    const outputs = template.toJSON().Outputs ?? {};

    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'TableName',
        'DevicePolicyName',
        'ThingTypeName',
        'FleetGroupName',
        'EnrolmentRoleArn',
        'EnrolmentPolicyArn',
        'UserPoolId',
        'UserPoolClientId',
        'DeadLetterQueueUrl',
        'AlarmTopicArn',
        'JobSigningPublicKey',
      ]),
    );
    expect(outputs.EnrolmentRoleArn.Export).toEqual({
      Name: 'upkeep-test-EnrolmentRoleArn',
    });
    // The public half only, from the deployment-time custom resource.
    expect(outputs.JobSigningPublicKey.Value).toEqual({
      'Fn::GetAtt': [id(stack.remedies.publicKey.resource), 'PublicKey'],
    });
  });
});

import { Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_CSP } from '../core/dashboard-csp.js';
import { IOT_SQL_VERSION } from '../core/rules.js';
import { STRIP_API_PREFIX } from './lib/dashboard-site.js';
import { devicePolicyDocument } from './lib/device-policy.js';
import { IOT_EVENT_TYPES } from './lib/iot-events.js';
import { finalQueues } from './lib/queues.js';
import { FUNCTION_RUNTIME, UpkeepFunction } from './lib/upkeep-function.js';
import {
  type Json,
  render,
  type Synthesised,
  synthOnce,
} from './test-support/synth.js';

/**
 * One assertion per CloudFormation resource kind. The first test fails
 * when the template holds a kind with no entry here: a capability that
 * adds a kind adds what must hold for it. Statement scope is checked for
 * every IAM policy in security.test.ts; these check the rest.
 */
const synth = synthOnce();
const CDK_HANDLER = 'AWS679f53fac002430cb0da5b7982bd2287';

const every = (s: Synthesised, type: string, check: (r: Json) => void) => {
  const found = s.ofType(type);
  expect(found.length, type).toBeGreaterThan(0);
  for (const [logicalId, resource] of found) {
    try {
      check(resource);
    } catch (error) {
      throw new Error(`${type} ${logicalId}: ${(error as Error).message}`);
    }
  }
};

const functionsOf = (s: Synthesised) =>
  s.stack.node
    .findAll()
    .filter((c): c is UpkeepFunction => c instanceof UpkeepFunction);

const denyWithoutTls = {
  Statement: Match.arrayWith([
    Match.objectLike({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }),
  ]),
};

const KIND_ASSERTIONS: Record<string, (s: Synthesised) => void> = {
  'AWS::ApiGatewayV2::Api': (s) =>
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
    }),
  'AWS::ApiGatewayV2::Authorizer': (s) => {
    const { userPool, client } = s.stack.userAuth;
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      ApiId: s.ref(s.stack.api.api),
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [s.ref(client)],
        Issuer: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.',
              { Ref: 'AWS::Region' },
              '.amazonaws.com/',
              s.ref(userPool),
            ],
          ],
        },
      },
    });
  },
  'AWS::ApiGatewayV2::Integration': (s) =>
    every(s, 'AWS::ApiGatewayV2::Integration', (r) =>
      expect(r.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: s.arnOf(s.stack.api.handler.fn),
        PayloadFormatVersion: '2.0',
      }),
    ),
  'AWS::ApiGatewayV2::Route': (s) => {
    const [authorizerId] = s.ofType('AWS::ApiGatewayV2::Authorizer')[0] ?? [];
    every(s, 'AWS::ApiGatewayV2::Route', (r) =>
      expect(r.Properties).toMatchObject(
        r.Properties.RouteKey === 'GET /openapi.json'
          ? { AuthorizationType: 'NONE' }
          : { AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } },
      ),
    );
  },
  'AWS::ApiGatewayV2::Stage': (s) =>
    every(s, 'AWS::ApiGatewayV2::Stage', (r) => {
      expect(r.Properties.DefaultRouteSettings.ThrottlingRateLimit).toBe(50);
      expect(JSON.parse(r.Properties.AccessLogSettings.Format)).toMatchObject({
        user: '$context.authorizer.claims.sub',
        scope: '$context.authorizer.claims.upkeep_scope',
      });
    }),
  'AWS::CloudFront::Distribution': (s) =>
    every(s, 'AWS::CloudFront::Distribution', (r) => {
      const config = r.Properties.DistributionConfig;
      const behaviors = [config.DefaultCacheBehavior, ...config.CacheBehaviors];
      expect(behaviors.map((b: Json) => b.ViewerProtocolPolicy)).toEqual([
        'redirect-to-https',
        'https-only',
      ]);
      expect(config.Logging.Bucket).toBeDefined();
      for (const b of behaviors)
        expect(b.ResponseHeadersPolicyId).toBeDefined();
    }),
  'AWS::CloudFront::Function': (s) =>
    s.template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: STRIP_API_PREFIX,
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    }),
  'AWS::CloudFront::OriginAccessControl': (s) =>
    s.template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    }),
  'AWS::CloudFront::ResponseHeadersPolicy': (s) =>
    s.template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: {
            ContentSecurityPolicy: DASHBOARD_CSP,
            Override: true,
          },
        }),
      }),
    }),
  'AWS::CloudWatch::Alarm': (s) => {
    const alarms = s.ofType('AWS::CloudWatch::Alarm').map(([, a]) => a);
    const watched = (metric: string, ref: unknown) =>
      alarms.some(
        (a) =>
          a.Properties.MetricName === metric &&
          JSON.stringify(a.Properties.Dimensions).includes(JSON.stringify(ref)),
      );
    for (const fn of functionsOf(s)) {
      expect(watched('Errors', s.ref(fn.fn)), fn.node.path).toBe(true);
    }
    const queues = s.stack.node
      .findAll()
      .filter((c): c is Queue => c instanceof Queue && finalQueues.has(c));
    expect(queues.length).toBeGreaterThanOrEqual(5);
    for (const queue of queues) {
      expect(
        watched('ApproximateNumberOfMessagesVisible', s.id(queue)),
        queue.node.path,
      ).toBe(true);
    }
    expect(watched('5xx', s.ref(s.stack.api.api))).toBe(true);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([
        s.ref(s.stack.alarms.topic),
      ]);
    }
  },
  'AWS::CloudWatch::Dashboard': (s) => {
    const body = JSON.stringify(
      s.ofType('AWS::CloudWatch::Dashboard')[0]?.[1].Properties.DashboardBody,
    );
    for (const title of [
      'Ingest throughput',
      'Failure queues',
      'Function errors',
      'Function duration (p99)',
      'HTTP API',
      'IoT connections',
      'IoT rules: messages matched',
      'IoT rule actions and errors',
    ]) {
      expect(body).toContain(title);
    }
    for (const fn of functionsOf(s)) {
      expect(body).toContain(s.id(fn.fn));
    }
    for (const metric of ['Connect.Success', 'TopicMatch', '4xx', '5xx']) {
      expect(body).toContain(metric);
    }
  },
  'AWS::Cognito::UserPool': (s) =>
    s.template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
        Schema: [Match.objectLike({ Name: 'upkeep_scope', Mutable: true })],
        LambdaConfig: {
          PreTokenGenerationConfig: {
            LambdaArn: s.arnOf(s.stack.userAuth.preToken.fn),
            LambdaVersion: 'V2_0',
          },
        },
      }),
    }),
  'AWS::Cognito::UserPoolClient': (s) =>
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: [
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ],
      AllowedOAuthFlowsUserPoolClient: false,
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      WriteAttributes: [],
    }),
  'AWS::DynamoDB::Table': (s) =>
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    }),
  'AWS::Events::EventBus': (s) =>
    s.template.hasResourceProperties('AWS::Events::EventBus', {
      Name: 'upkeep-test-events',
    }),
  'AWS::Events::Rule': (s) =>
    every(s, 'AWS::Events::Rule', (r) => {
      // On our bus only, and every target keeps what it cannot deliver.
      expect(r.Properties.EventBusName).toEqual(s.ref(s.stack.events.bus));
      for (const target of r.Properties.Targets as Json[]) {
        expect(target.DeadLetterConfig.Arn).toBeDefined();
      }
    }),
  'AWS::IAM::ManagedPolicy': (s) => {
    expect(s.ofType('AWS::IAM::ManagedPolicy')).toHaveLength(1);
    const statements = render(
      s.resources[s.id(s.stack.fleet.enrolmentPolicy)]?.Properties
        .PolicyDocument.Statement,
    );
    const iot = 'arn:aws:iot:eu-west-1:111122223333:';
    expect(statements).toEqual([
      {
        Action: 'iot:CreateThing',
        Effect: 'Allow',
        Resource: [`${iot}thing/*`, `${iot}thingtype/upkeep-test-endpoint`],
      },
      {
        Action: ['iot:CreateKeysAndCertificate', 'iot:DescribeEndpoint'],
        Effect: 'Allow',
        Resource: '*',
      },
      { Action: 'iot:AttachPolicy', Effect: 'Allow', Resource: `${iot}cert/*` },
      {
        Action: 'iot:AttachThingPrincipal',
        Effect: 'Allow',
        Resource: [`${iot}thing/*`, `${iot}cert/*`],
      },
      {
        Action: 'iot:CreateThingGroup',
        Effect: 'Allow',
        Resource: `${iot}thinggroup/upkeep-test-client-*`,
      },
      {
        Action: 'iot:AddThingToThingGroup',
        Effect: 'Allow',
        Resource: [
          `${iot}thing/*`,
          `${iot}thinggroup/upkeep-test-client-*`,
          `${iot}thinggroup/upkeep-test-ring-*`,
        ],
      },
      {
        Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
        Effect: 'Allow',
        Resource: s.arnOf(s.stack.table.table),
        Condition: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': ['DEVICE#*', 'CLIENTS', 'CLIENT#*'],
          },
        },
      },
    ]);
  },
  'AWS::IAM::Policy': (s) =>
    every(s, 'AWS::IAM::Policy', (r) => {
      expect(r.Properties.Roles).toHaveLength(1);
      expect(r.Properties.PolicyDocument.Statement.length).toBeGreaterThan(0);
    }),
  'AWS::IAM::Role': (s) => {
    const enrolment = s.id(s.stack.fleet.enrolmentRole);
    for (const [logicalId, role] of s.ofType('AWS::IAM::Role')) {
      const [trust, ...more] = role.Properties.AssumeRolePolicyDocument
        .Statement as Json[];
      expect(more).toEqual([]);
      if (logicalId === enrolment) {
        // Any principal of this account that is allowed sts:AssumeRole.
        expect(render(trust?.Principal)).toEqual({
          AWS: 'arn:aws:iam::111122223333:root',
        });
        continue;
      }
      const service: string = trust?.Principal.Service;
      expect(service).toMatch(/^(lambda|iot|scheduler)\.amazonaws\.com$/);
      // Services acting for a rule or schedule are held to this account.
      if (service !== 'lambda.amazonaws.com') {
        expect(trust?.Condition.StringEquals['aws:SourceAccount']).toEqual({
          Ref: 'AWS::AccountId',
        });
      }
    }
  },
  'AWS::IoT::Policy': (s) =>
    expect(
      render(s.ofType('AWS::IoT::Policy')[0]?.[1].Properties.PolicyDocument),
    ).toEqual(
      devicePolicyDocument({
        partition: 'aws',
        region: 'eu-west-1',
        account: '111122223333',
      }),
    ),
  'AWS::IoT::ThingGroup': (s) => {
    const groups = s.ofType('AWS::IoT::ThingGroup').map(([, g]) => g);
    const root = s.ref(s.stack.fleet.rootGroup);
    expect(
      groups.map((g) => [
        g.Properties.ThingGroupName,
        g.Properties.ParentGroupName,
      ]),
    ).toEqual([
      ['upkeep-test-fleet', undefined],
      ['upkeep-test-ring-pilot', root],
      ['upkeep-test-ring-broad', root],
    ]);
  },
  'AWS::IoT::ThingType': (s) =>
    s.template.hasResourceProperties('AWS::IoT::ThingType', {
      ThingTypeName: 'upkeep-test-endpoint',
      ThingTypeProperties: {
        SearchableAttributes: ['clientId', 'siteId', 'cycleGroup'],
      },
    }),
  'AWS::IoT::TopicRule': (s) =>
    every(s, 'AWS::IoT::TopicRule', (r) => {
      const payload = r.Properties.TopicRulePayload;
      expect(payload.AwsIotSqlVersion).toBe(IOT_SQL_VERSION);
      expect(payload.ErrorAction.Sqs.QueueUrl).toEqual(
        s.ref(s.stack.queues.ruleErrors),
      );
    }),
  'AWS::Lambda::EventSourceMapping': (s) =>
    every(s, 'AWS::Lambda::EventSourceMapping', (r) =>
      expect(r.Properties.FunctionResponseTypes).toEqual([
        'ReportBatchItemFailures',
      ]),
    ),
  'AWS::Lambda::Function': (s) => {
    const ours = new Set(functionsOf(s).map((fn) => s.id(fn.fn)));
    for (const [logicalId, fn] of s.ofType('AWS::Lambda::Function')) {
      if (!ours.has(logicalId)) {
        // CDK's AwsCustomResource handler (iot-events.ts), the only other.
        expect(logicalId.startsWith(CDK_HANDLER)).toBe(true);
        continue;
      }
      expect(fn.Properties).toMatchObject({
        Runtime: FUNCTION_RUNTIME.name,
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Environment: {
          Variables: { POWERTOOLS_LOG_LEVEL: 'DEBUG' },
        },
      });
    }
  },
  'AWS::Lambda::Permission': (s) =>
    every(s, 'AWS::Lambda::Permission', (r) => {
      const principal: string = r.Properties.Principal;
      expect(principal).toMatch(
        /^(apigateway|iot|cognito-idp)\.amazonaws\.com$/,
      );
      // Each service may invoke only for our API, rule or user pool.
      expect(r.Properties.SourceArn).toBeDefined();
    }),
  'AWS::Logs::LogGroup': (s) =>
    every(s, 'AWS::Logs::LogGroup', (r) =>
      expect(r.Properties.RetentionInDays).toBe(14),
    ),
  'AWS::S3::Bucket': (s) =>
    every(s, 'AWS::S3::Bucket', (r) =>
      expect(r.Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: expect.anything(),
      }),
    ),
  'AWS::S3::BucketPolicy': (s) =>
    every(s, 'AWS::S3::BucketPolicy', (r) =>
      expect(r.Properties.PolicyDocument).toMatchObject({
        Statement: expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      }),
    ),
  'AWS::SNS::Subscription': (s) =>
    s.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      RedrivePolicy: {
        deadLetterTargetArn: s.arnOf(s.stack.alarms.undelivered),
      },
    }),
  'AWS::SNS::Topic': (s) => expect(s.ofType('AWS::SNS::Topic')).toHaveLength(1),
  'AWS::SNS::TopicPolicy': (s) =>
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: denyWithoutTls,
    }),
  'AWS::SQS::Queue': (s) =>
    every(s, 'AWS::SQS::Queue', (r) =>
      expect(r.Properties.SqsManagedSseEnabled).toBe(true),
    ),
  'AWS::SQS::QueuePolicy': (s) =>
    every(s, 'AWS::SQS::QueuePolicy', (r) =>
      expect(r.Properties.PolicyDocument).toMatchObject({
        Statement: expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      }),
    ),
  'AWS::Scheduler::Schedule': (s) =>
    every(s, 'AWS::Scheduler::Schedule', (r) => {
      // A role of the stack that only Scheduler, for this account, assumes.
      const roleId: string = r.Properties.Target.RoleArn['Fn::GetAtt'][0];
      const trust =
        s.resources[roleId]?.Properties.AssumeRolePolicyDocument.Statement[0];
      expect(trust.Principal).toEqual({ Service: 'scheduler.amazonaws.com' });
      expect(trust.Condition.StringEquals['aws:SourceAccount']).toEqual({
        Ref: 'AWS::AccountId',
      });
      expect(r.Properties.FlexibleTimeWindow.Mode).toBe('FLEXIBLE');
    }),
  'AWS::Scheduler::ScheduleGroup': (s) =>
    s.template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', {
      Name: 'upkeep-test-cycles',
    }),
  'AWS::SecretsManager::Secret': (s) =>
    s.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
    }),
  'Custom::JobSigningPublicKey': (s) => {
    const { publicKey, signingSecret } = s.stack.remedies;
    s.template.hasResourceProperties('Custom::JobSigningPublicKey', {
      ServiceToken: s.arnOf(publicKey.fn.fn),
      SecretId: s.ref(signingSecret),
    });
    // The seed is read, never more: one action on that one secret.
    const reads = s
      .statementsOf(publicKey.fn.role)
      .filter((statement) => JSON.stringify(statement).includes('secrets'));
    expect(reads).toEqual([
      {
        Action: 'secretsmanager:GetSecretValue',
        Effect: 'Allow',
        Resource: s.ref(signingSecret),
      },
    ]);
    expect(s.resources[s.id(publicKey.fn.fn)]?.Properties.Layers).toHaveLength(
      1,
    );
  },
  'Custom::AWS': (s) => {
    const [, resource] = s.ofType('Custom::AWS')[0] ?? [];
    for (const phase of ['Create', 'Update']) {
      expect(JSON.parse(resource?.Properties[phase])).toMatchObject({
        service: 'Iot',
        action: 'updateEventConfigurations',
        parameters: {
          eventConfigurations: Object.fromEntries(
            IOT_EVENT_TYPES.map((type) => [type, { Enabled: true }]),
          ),
        },
      });
    }
    // Deleting the stack leaves the account-wide setting alone.
    expect(resource?.Properties.Delete).toBeUndefined();
  },
};

describe('the resource kinds', () => {
  it('has an assertion for every kind in the template', () => {
    const kinds = new Set(
      Object.values(synth.resources).map((r) => r.Type as string),
    );

    const unasserted = [...kinds].filter((kind) => !KIND_ASSERTIONS[kind]);

    expect(kinds.size).toBeGreaterThan(25);
    expect(unasserted).toEqual([]);
  });

  it('has no assertion for a kind the template lacks', () => {
    const kinds = new Set(
      Object.values(synth.resources).map((r) => r.Type as string),
    );

    expect(Object.keys(KIND_ASSERTIONS).filter((k) => !kinds.has(k))).toEqual(
      [],
    );
  });

  it.each(Object.keys(KIND_ASSERTIONS).sort())('holds for %s', (kind) => {
    KIND_ASSERTIONS[kind]?.(synth);
  });
});

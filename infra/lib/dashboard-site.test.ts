import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_CSP } from '../../core/dashboard-csp.js';
import { API_PATH, DashboardSite, STRIP_API_PREFIX } from './dashboard-site.js';

const API = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com';

const work = mkdtempSync(join(tmpdir(), 'upkeep-dashboard-site-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let app: App;
let site: DashboardSite;
let template: Template;

beforeAll(() => {
  app = new App({ outdir: work });
  const stack = new Stack(app, 'Probe');
  site = new DashboardSite(stack, 'Dashboard', { apiEndpoint: API });
  template = Template.fromStack(stack);
});

// biome-ignore lint/suspicious/noExplicitAny: templates are untyped JSON
type Json = Record<string, any>;

function logicalId(construct: { node: { defaultChild?: unknown } }) {
  const child = construct.node.defaultChild as { logicalId: string };
  return Stack.of(site).resolve(child.logicalId) as string;
}

describe('the dashboard bucket', () => {
  it('is private, encrypted, versioned, SSL-only and logged', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logicalId(site.logs) },
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(site.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('lets only this distribution read it, through origin access control', () => {
    const policies = template.findResources('AWS::S3::BucketPolicy', {
      Properties: { Bucket: { Ref: logicalId(site.bucket) } },
    });
    const statements: Json[] = Object.values(policies).flatMap(
      (p) => (p as Json).Properties.PolicyDocument.Statement,
    );
    const allows = statements.filter((s) => s.Effect === 'Allow');

    expect(allows).toEqual([
      {
        Action: 's3:GetObject',
        Condition: {
          StringEquals: {
            'AWS:SourceArn': expect.objectContaining({
              'Fn::Join': expect.anything(),
            }),
          },
        },
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Resource: expect.anything(),
      },
    ]);
    expect(JSON.stringify(allows[0]?.Condition)).toContain(
      logicalId(site.distribution),
    );
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.resourceCountIs(
      'AWS::CloudFront::CloudFrontOriginAccessIdentity',
      0,
    );
  });
});

describe('the distribution', () => {
  it('serves index.html over HTTPS only, with access logs', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD'],
        }),
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
  });

  it('sends the dashboard CSP and the security headers', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          ContentSecurityPolicy: {
            ContentSecurityPolicy: DASHBOARD_CSP,
            Override: true,
          },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
          StrictTransportSecurity: {
            AccessControlMaxAgeSec: 63_072_000,
            IncludeSubdomains: true,
            Override: true,
          },
        },
      }),
    });
  });

  it('outputs the page URL and the bucket to publish to', () => {
    const outputs = template.findOutputs('*');

    expect(Object.keys(outputs).sort()).toEqual([
      'DashboardBucketName',
      'DashboardUrl',
    ]);
  });
});

describe('the API behind the same origin', () => {
  function apiBehavior(): Json {
    const [distribution] = Object.values(
      template.findResources('AWS::CloudFront::Distribution'),
    ) as Json[];
    const config = distribution?.Properties.DistributionConfig;
    const behaviors: Json[] = config.CacheBehaviors;
    expect(behaviors.map((b) => b.PathPattern)).toEqual([`${API_PATH}*`]);
    const origin = config.Origins.find(
      (o: Json) => o.Id === behaviors[0]?.TargetOriginId,
    );
    return { behavior: behaviors[0], origin };
  }

  it('passes /api/* to the API host, uncached, with every viewer header', () => {
    const { behavior, origin } = apiBehavior();

    expect(origin.DomainName).toBe(new URL(API).host);
    expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    expect(behavior).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE']),
      // The managed CachingDisabled and AllViewerExceptHostHeader policies.
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    });
    expect(behavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: expect.anything() },
    ]);
  });

  it('strips the prefix with the function it deploys', () => {
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: STRIP_API_PREFIX,
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    });
    const handler = new Function(`${STRIP_API_PREFIX}; return handler;`)();
    // The function returns the request it was given, changed.
    const uriOf = (uri: string) => handler({ request: { uri } }).uri;

    expect(uriOf('/api/devices')).toBe('/devices');
    expect(uriOf('/api/devices/lap-1/history')).toBe('/devices/lap-1/history');
    expect(uriOf('/apiary/x')).toBe('/apiary/x');
  });
});

describe('cdk-nag', () => {
  it('finds nothing unacknowledged in the AwsSolutions pack', () => {
    const report = new AwsSolutionsChecks().validateScope(app);

    expect(report.violations).toEqual([]);
  });
});

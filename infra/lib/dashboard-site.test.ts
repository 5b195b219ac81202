import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_CSP } from '../../local/http-api/dashboard-files.js';
import { DashboardSite, dashboardCsp } from './dashboard-site.js';

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
        LogFilePrefix: 's3/',
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

  it('sends the CSP of the local gateway, with the API allowed for fetch', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          ContentSecurityPolicy: {
            ContentSecurityPolicy: dashboardCsp(API),
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
    expect(dashboardCsp(API)).toBe(
      DASHBOARD_CSP.replace("connect-src 'self'", `connect-src 'self' ${API}`),
    );
  });

  it('outputs the page URL and the bucket to publish to', () => {
    const outputs = template.findOutputs('*');

    expect(Object.keys(outputs).sort()).toEqual([
      'DashboardBucketName',
      'DashboardUrl',
    ]);
  });
});

describe('cdk-nag', () => {
  it('finds nothing unacknowledged in the AwsSolutions pack', () => {
    const report = new AwsSolutionsChecks().validateScope(app);

    expect(report.violations).toEqual([]);
  });
});

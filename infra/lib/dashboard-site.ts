import { CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export const dashboardSiteDefaults = {
  /** Access logs of the bucket and the distribution are kept this long. */
  logExpiration: Duration.days(90),
  /** Older versions of the page's files are kept this long (rollback). */
  noncurrentExpiration: Duration.days(30),
  /** HSTS max-age: two years, the preload list's expectation. */
  hstsMaxAge: Duration.days(730),
} as const;

/**
 * The page's content security policy, as the local gateway sends it
 * (local/http-api/dashboard-files.ts), with the API's origin allowed for
 * fetch: the page and the API live on different origins in AWS.
 */
export function dashboardCsp(apiOrigin: string) {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${apiOrigin}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface DashboardSiteProps {
  /**
   * The HTTP API's endpoint, `https://{id}.execute-api.{region}.{suffix}`:
   * the only origin the page may call.
   */
  apiEndpoint: string;
}

/**
 * The technician's dashboard (dashboard/site): a private, versioned S3
 * bucket that only this CloudFront distribution can read (origin access
 * control), HTTPS only, with the security headers on every answer.
 * docs/dashboard.md says how to publish the files.
 */
export class DashboardSite extends Construct {
  readonly bucket: Bucket;
  readonly logs: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: DashboardSiteProps) {
    super(scope, id);

    this.logs = this.logBucket();
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: 's3/',
      lifecycleRules: [
        {
          noncurrentVersionExpiration:
            dashboardSiteDefaults.noncurrentExpiration,
        },
      ],
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Upkeep dashboard',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers(props.apiEndpoint),
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
    });
    this.acknowledge();
    this.outputs();
  }

  /** `https://…cloudfront.net/`, where technicians open the page. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }

  /**
   * One bucket for the access logs of both. CloudFront's standard logs
   * are written with an ACL, so this bucket keeps object ACLs enabled.
   */
  private logBucket() {
    return new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: dashboardSiteDefaults.logExpiration }],
    });
  }

  private headers(apiEndpoint: string) {
    return new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Upkeep dashboard security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: dashboardCsp(apiEndpoint),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: {
          frameOption: HeadersFrameOption.DENY,
          override: true,
        },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.NO_REFERRER,
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: dashboardSiteDefaults.hstsMaxAge,
          includeSubdomains: true,
          override: true,
        },
      },
    });
  }

  private acknowledge() {
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Technicians open the page from wherever the MSP works; the files ' +
        'hold no data, and every figure needs a token the API checks.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'A web ACL for CloudFront exists only in us-east-1 and the stack ' +
        'deploys to any region; the site is static files, and the API has ' +
        'its own throttling and token checks.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution uses the default cloudfront.net certificate, ' +
        'for which CloudFront fixes the minimum TLS version; a custom ' +
        'domain with its own certificate lifts it to TLSv1.2_2021.',
    });
  }

  private outputs() {
    const stack = Stack.of(this);
    new CfnOutput(stack, 'DashboardUrl', {
      value: this.url,
      description: 'The technician dashboard (docs/dashboard.md)',
    });
    new CfnOutput(stack, 'DashboardBucketName', {
      value: this.bucket.bucketName,
      description: 'Publish dashboard/site here (docs/dashboard.md)',
    });
  }
}

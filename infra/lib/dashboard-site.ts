import { CfnOutput, Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DASHBOARD_CSP } from '../../core/dashboard-csp.js';

export const dashboardSiteDefaults = {
  /** Access logs of the bucket and the distribution are kept this long. */
  logExpiration: Duration.days(90),
  /** Older versions of the page's files are kept this long (rollback). */
  noncurrentExpiration: Duration.days(30),
  /** HSTS max-age: two years, the preload list's expectation. */
  hstsMaxAge: Duration.days(730),
} as const;

/**
 * Where the distribution passes requests on to the HTTP API, less this
 * prefix: `/api/devices` reaches the API as `/devices`.
 */
export const API_PATH = '/api/';

/**
 * A CloudFront Function (viewer request) that drops API_PATH's prefix but
 * keeps its last slash. cloudfront-js-2.0 runs ES 5.1 and a few additions.
 */
export const STRIP_API_PREFIX = `function handler(event) {
  var request = event.request;
  if (request.uri.indexOf('${API_PATH}') === 0) {
    request.uri = request.uri.slice(${API_PATH.length - 1});
  }
  return request;
}`;

/** The CDK feature flag for bucket-policy log delivery. */
const S3_LOGS_BY_POLICY = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

export interface DashboardSiteProps {
  /**
   * The HTTP API's endpoint, `https://{id}.execute-api.{region}.{suffix}`,
   * which the distribution serves under API_PATH.
   */
  apiEndpoint: string;
}

/**
 * The technician's dashboard (dashboard/site): a private, versioned S3
 * bucket that only this CloudFront distribution can read (origin access
 * control), HTTPS only, with the security headers on every answer. The
 * same distribution passes `/api/*` on to the HTTP API, uncached and with
 * every viewer header (the bearer token included), so the page calls the
 * API on its own origin: no CORS, and the CSP allows only 'self'.
 * docs/dashboard.md says how to publish the files.
 */
export class DashboardSite extends Construct {
  readonly bucket: Bucket;
  /** Server access logs of the buckets. */
  readonly logs: Bucket;
  /** CloudFront's standard logs. */
  readonly cdnLogs: Bucket;
  readonly distribution: Distribution;
  private headersPolicy: ResponseHeadersPolicy | undefined;

  constructor(scope: Construct, id: string, props: DashboardSiteProps) {
    super(scope, id);
    // S3 server access logs delivered under a bucket policy, not the
    // deprecated log-delivery ACL; set before any bucket is made.
    this.node.setContext(S3_LOGS_BY_POLICY, true);

    const logs = this.logBuckets();
    this.logs = logs.access;
    this.cdnLogs = logs.cdn;
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logs,
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
        responseHeadersPolicy: this.headers(),
      },
      additionalBehaviors: { [`${API_PATH}*`]: this.apiBehavior(props) },
      httpVersion: HttpVersion.HTTP2_AND_3,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.cdnLogs,
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
   * Two log buckets. S3 server access logs are delivered under a bucket
   * policy, so their bucket has object ACLs off. CloudFront's standard
   * logs are written with an ACL, so theirs keeps ACLs on, and its own
   * access is logged to the first. Each record of a server access log
   * names its bucket, so the two sources share one prefix: the policy
   * that lets S3 deliver then covers the bucket's objects and no more.
   */
  private logBuckets() {
    const common = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: dashboardSiteDefaults.logExpiration }],
    };
    const access = new Bucket(this, 'AccessLogs', {
      ...common,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    const cdn = new Bucket(this, 'CdnLogs', {
      ...common,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      serverAccessLogsBucket: access,
    });
    return { access, cdn };
  }

  /**
   * The API behind the same origin. Caching is off, so CloudFront may pass
   * the Authorization header with the all-viewer request policy (less Host:
   * API Gateway routes on its own host name).
   */
  private apiBehavior(props: DashboardSiteProps) {
    const host = Fn.select(2, Fn.split('/', props.apiEndpoint));
    const stripPrefix = new EdgeFunction(this, 'StripApiPrefix', {
      comment: 'Upkeep: /api/x reaches the HTTP API as /x',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(STRIP_API_PREFIX),
    });
    return {
      origin: new HttpOrigin(host, {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      }),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.headers(),
      functionAssociations: [
        {
          function: stripPrefix,
          eventType: FunctionEventType.VIEWER_REQUEST,
        },
      ],
    };
  }

  private headers() {
    this.headersPolicy ??= this.createHeaders();
    return this.headersPolicy;
  }

  private createHeaders() {
    return new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Upkeep dashboard security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: DASHBOARD_CSP,
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

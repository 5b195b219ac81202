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
  readonly logs: Bucket;
  readonly distribution: Distribution;
  private headersPolicy: ResponseHeadersPolicy | undefined;

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
        responseHeadersPolicy: this.headers(),
      },
      additionalBehaviors: { [`${API_PATH}*`]: this.apiBehavior(props) },
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

import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  type ParamsAndSecretsLayerVersion,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { paths, REPO_ROOT } from './paths.js';
import type { LogLevel } from './settings.js';

/**
 * The newest Node.js runtime aws-cdk-lib knows. `Runtime.NODEJS_LATEST` lags
 * it (it is the newest available in every region); cdk-nag's AwsSolutions-L1
 * asks for the newest, and the code targets Node 22+ anyway.
 */
export const FUNCTION_RUNTIME = Runtime.NODEJS_26_X;

export interface UpkeepFunctionProps {
  /** Absolute path of the TypeScript handler module (exports `handler`). */
  entry: string;
  /** Powertools service name, also the log field `service`. */
  serviceName: string;
  memorySize: number;
  timeout: Duration;
  logLevel: LogLevel;
  logRetention: RetentionDays;
  environment: Record<string, string>;
  /**
   * The AWS Parameters and Secrets extension, for functions that read a
   * secret. @default none
   */
  paramsAndSecrets?: ParamsAndSecretsLayerVersion;
  /**
   * Where Lambda puts the events of asynchronous invocations that failed
   * every retry. Set for functions invoked asynchronously (Scheduler, IoT
   * rules); others name why they have none (`acknowledgeNoDeadLetters`).
   * @default none
   */
  deadLetterQueue?: IQueue;
}

/**
 * A function's own log group, with a retention, and its own role, which may
 * write to that log group only.
 */
export function functionRoleAndLogs(
  scope: Construct,
  logRetention: RetentionDays,
) {
  const logGroup = new LogGroup(scope, 'Logs', {
    retention: logRetention,
    // The retention bounds what is kept; when the stack goes, its logs go.
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new Role(scope, 'Role', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
  });
  logGroup.grantWrite(role);
  return { logGroup, role };
}

/**
 * A NodejsFunction with what every Upkeep function shares: arm64, ESM
 * bundled by the local esbuild (never Docker), X-Ray active tracing (the
 * default sampling: the first request each second and 5% of the rest), its
 * own log group with a retention, and its own role that may write to that
 * log group only. The role replaces Lambda's default one, whose managed
 * policy may write to any log group in the account.
 */
export class UpkeepFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly serviceName: string;
  /** Whether the secrets extension layer is on the function already. */
  readonly hasSecretsExtension: boolean;

  constructor(scope: Construct, id: string, props: UpkeepFunctionProps) {
    super(scope, id);
    this.serviceName = props.serviceName;
    this.hasSecretsExtension = props.paramsAndSecrets !== undefined;

    ({ logGroup: this.logGroup, role: this.role } = functionRoleAndLogs(
      this,
      props.logRetention,
    ));

    this.fn = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      paramsAndSecrets: props.paramsAndSecrets,
      tracing: Tracing.ACTIVE,
      deadLetterQueue: props.deadLetterQueue,
      projectRoot: REPO_ROOT,
      depsLockFilePath: paths.lockFile,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        // Prefer the dependencies' ES module builds, which esbuild can
        // tree-shake. An ES module bundle has no `require`; if a CommonJS
        // dependency ever needs one at run time, the stack test that loads
        // each bundle fails ("Dynamic require ... is not supported").
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The Node.js runtimes ship AWS SDK v3; leaving it out keeps the
        // bundle small and the cold start short (docs/architecture.md).
        externalModules: ['@aws-sdk/*'],
        forceDockerBundling: false,
      },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray active tracing: xray:PutTraceSegments and ' +
        'xray:PutTelemetryRecords have no resource-level permissions. Any ' +
        'other action of this role that needs `*` says why beside its grant.',
    });
  }

  /**
   * For a function that is never invoked asynchronously, so that a Lambda
   * dead-letter queue would never receive anything: `reason` says who
   * invokes it and where its failures go instead.
   */
  acknowledgeNoDeadLetters(reason: string) {
    Validations.of(this.fn).acknowledge({ id: 'Serverless-LambdaDLQ', reason });
  }
}

import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  type ParamsAndSecretsLayerVersion,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
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
}

/**
 * A NodejsFunction with what every Upkeep function shares: arm64, ESM
 * bundled by the local esbuild (never Docker), its own log group with a
 * retention, and its own role that may write to that log group only. The
 * role replaces Lambda's default one, whose managed policy may write to any
 * log group in the account.
 */
export class UpkeepFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: UpkeepFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      // The retention bounds what is kept; when the stack goes, its logs go.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    this.logGroup.grantWrite(this.role);

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
  }
}

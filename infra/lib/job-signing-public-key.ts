import { CustomResource, Duration } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ParamsAndSecretsLayerVersion } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { paths } from './paths.js';
import type { LogLevel } from './settings.js';
import { UpkeepFunction } from './upkeep-function.js';

export const JOB_KEY_RESOURCE_TYPE = 'Custom::JobSigningPublicKey';

export interface JobSigningPublicKeyProps {
  /** The seed of the job-signing key (remedies.ts). */
  secret: ISecret;
  /** The secrets extension, as the signing functions have it. */
  paramsAndSecrets: ParamsAndSecretsLayerVersion;
  logLevel: LogLevel;
  logRetention: RetentionDays;
}

/**
 * Publishes the job-signing PUBLIC key without handing anyone the seed: a
 * custom resource whose function (lambdas/job-key) reads the secret at
 * deployment, derives the Ed25519 key as the signing functions do and
 * returns only the public half and its key id. Enrolment reads them from the
 * stack outputs, so the enrolment principal never needs the secret.
 */
export class JobSigningPublicKey extends Construct {
  readonly fn: UpkeepFunction;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: JobSigningPublicKeyProps) {
    super(scope, id);

    this.fn = new UpkeepFunction(this, 'Function', {
      entry: paths.jobKeyHandler,
      serviceName: 'upkeep-job-key',
      memorySize: 128,
      timeout: Duration.seconds(30),
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      environment: {},
      paramsAndSecrets: props.paramsAndSecrets,
    });
    // GetSecretValue only: the extension needs no DescribeSecret.
    this.fn.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['secretsmanager:GetSecretValue'],
        resources: [props.secret.secretArn],
      }),
    );
    this.fn.acknowledgeNoDeadLetters(
      'CloudFormation invokes this custom resource function once per ' +
        'change of the resource and waits for its answer at the response ' +
        'URL; a failure answers FAILED and fails the deployment with its ' +
        'reason, so there is no event to keep.',
    );

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.fn.fn.functionArn,
      resourceType: JOB_KEY_RESOURCE_TYPE,
      properties: { SecretId: props.secret.secretArn },
    });
  }

  /** The raw 32-byte Ed25519 public key, base64. */
  get publicKey(): string {
    return this.resource.getAttString('PublicKey');
  }

  get keyId(): string {
    return this.resource.getAttString('KeyId');
  }
}

import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  LambdaVersion,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { paths } from './paths.js';
import type { LogLevel } from './settings.js';
import { UpkeepFunction } from './upkeep-function.js';

/**
 * The custom attribute an administrator sets on each user: `msp` or
 * `client:<clientId>` (lambdas/auth/scope-claim.ts reads it as
 * `custom:upkeep_scope`).
 */
export const SCOPE_ATTRIBUTE_NAME = 'upkeep_scope';

export const userAuthDefaults = {
  /** Refresh tokens let a tool stay signed in for a working month. */
  refreshTokenValidity: Duration.days(30),
  minimumPasswordLength: 14,
  trigger: { memorySize: 128, timeout: Duration.seconds(5) },
};

export interface UserAuthProps {
  deploymentName: string;
  tokenValidityMinutes: number;
  logLevel: LogLevel;
  logRetention: RetentionDays;
}

/**
 * Who may call the HTTP API: a Cognito user pool of the MSP's people and
 * tools, with no self sign-up (an administrator creates every user), TOTP
 * MFA required, and threat protection enforced (Plus feature plan). A pre
 * token generation trigger puts the user's tenant scope in the tokens as
 * the claim `upkeep_scope`; the API's JWT authoriser accepts tokens of the
 * one app client.
 */
export class UserAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly preToken: UpkeepFunction;
  readonly authorizer: HttpUserPoolAuthorizer;

  constructor(scope: Construct, id: string, props: UserAuthProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'Users', {
      userPoolName: `${props.deploymentName}-users`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      mfa: Mfa.REQUIRED,
      // TOTP only: SMS would need a role that may send texts, and codes by
      // text are the weaker factor.
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      passwordPolicy: {
        minLength: userAuthDefaults.minimumPasswordLength,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      customAttributes: {
        [SCOPE_ATTRIBUTE_NAME]: new StringAttribute({
          minLen: 3,
          maxLen: 64,
          mutable: true,
        }),
      },
      deletionProtection: true,
      // The users outlive a stack that is torn down and deployed again.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.preToken = new UpkeepFunction(this, 'PreToken', {
      entry: paths.preTokenHandler,
      serviceName: 'upkeep-auth',
      ...userAuthDefaults.trigger,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      environment: {},
    });
    this.userPool.addTrigger(
      UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      this.preToken.fn,
      LambdaVersion.V2_0,
    );

    this.client = this.userPool.addClient('MspTools', {
      userPoolClientName: 'msp-tools',
      generateSecret: false,
      // SRP for SDK-based tools; password auth so that the AWS CLI can sign
      // in (docs/deploy.md). Either way the password goes only to Cognito,
      // over TLS, and the TOTP code is asked for next.
      authFlows: { userSrp: true, userPassword: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(props.tokenValidityMinutes),
      idTokenValidity: Duration.minutes(props.tokenValidityMinutes),
      refreshTokenValidity: userAuthDefaults.refreshTokenValidity,
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true })
        .withCustomAttributes(SCOPE_ATTRIBUTE_NAME),
      // Users may change nothing about themselves through the client;
      // above all not their scope. Administrators use the admin API.
      writeAttributes: new ClientAttributes(),
    });

    this.authorizer = new HttpUserPoolAuthorizer('Users', this.userPool, {
      userPoolClients: [this.client],
    });

    this.acknowledge();
    this.outputs();
  }

  private acknowledge() {
    Validations.of(this.preToken.fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Cognito invokes the pre token generation trigger synchronously ' +
        'during sign-in and fails the sign-in if it fails; there is no ' +
        'asynchronous invocation whose events a dead-letter queue would keep.',
    });
  }

  private outputs() {
    // On the stack, so that the outputs keep their plain names.
    new CfnOutput(Stack.of(this), 'UserPoolId', {
      value: this.userPool.userPoolId,
      description: 'Cognito user pool of the MSP users (docs/deploy.md)',
    });
    new CfnOutput(Stack.of(this), 'UserPoolClientId', {
      value: this.client.userPoolClientId,
      description: 'App client of MSP tools; tokens name it as audience',
    });
  }
}

import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import type { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { keys } from '../../core/table.js';
import type { DataTable } from './data-table.js';
import { paths } from './paths.js';
import type { RemedySender } from './remedies.js';
import type { LogLevel } from './settings.js';
import { tableReadStatement } from './table-access.js';
import { UpkeepFunction } from './upkeep-function.js';

/**
 * The routes of the HTTP API, as API Gateway route keys: the OpenAPI
 * document without a token, everything else through one greedy route with
 * the JWT authoriser; the function routes by path itself
 * (lambdas/api/routes.ts). local/http-api/routes.ts serves the same keys.
 */
export const API_ROUTES = [
  { method: HttpMethod.GET, path: '/openapi.json', public: true },
  { method: HttpMethod.ANY, path: '/{proxy+}', public: false },
] as const;

/**
 * One JSON object per request, from HTTP API access-log variables only (the
 * REST API's standard fields include variables HTTP APIs do not have). The
 * JWT authoriser's claims name the caller (`sub`) and the tenant scope.
 */
export const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTimeEpoch',
    ip: '$context.identity.sourceIp',
    user: '$context.authorizer.claims.sub',
    scope: '$context.authorizer.claims.upkeep_scope',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

export const apiDefaults = {
  /** Function timeout; API Gateway gives up on an integration after 30 s. */
  timeout: Duration.seconds(10),
  /** MB. */
  memorySize: 256,
};

export interface UpkeepHttpApiProps {
  table: DataTable;
  logLevel: LogLevel;
  logRetention: RetentionDays;
  throttle: { rateLimit: number; burstLimit: number };
  /** Checks the caller's Cognito token (user-auth.ts). */
  authorizer: HttpUserPoolAuthorizer;
  /**
   * On-demand runs sign and create remedy jobs (remedies.ts); the stack
   * also calls `remedies.grantSend` for the function. @default no runs
   */
  remedies?: RemedySender;
}

/**
 * The partition keys the API writes, and no others (lambdas/api):
 * finding acknowledge/suppress and device policy layers (`DEVICE#`),
 * client and site layers and emergency patch approvals (`CLIENT#`), the
 * MSP layer (`POLICY`), on-demand runs (`RUN#`, lambdas/lib/on-demand-runs)
 * and the API's idempotency records (`IDEMPOTENCY#api.`). Webhook items
 * (`WEBHOOK#`) come with the events construct's grant.
 */
export const API_WRITE_KEYS = [
  keys.device('*'),
  keys.client('*'),
  'POLICY',
  'RUN#*',
  keys.idempotency('api.*'),
];

export const API_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

export function apiWriteStatement(tableArn: string) {
  return new PolicyStatement({
    effect: Effect.ALLOW,
    actions: API_WRITE_ACTIONS,
    resources: [tableArn],
    conditions: {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': API_WRITE_KEYS },
    },
  });
}

/**
 * The HTTP API and its function. Every route requires a JWT from the user
 * pool's app client (user-auth.ts): API Gateway checks signature, issuer,
 * audience and expiry before the function runs, and the function reads the
 * tenant scope from the `upkeep_scope` claim. Only `GET /openapi.json`
 * needs no token. No route uses IAM: the API's callers are people and their
 * tools, not AWS principals.
 */
export class UpkeepHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly handler: UpkeepFunction;

  constructor(scope: Construct, id: string, props: UpkeepHttpApiProps) {
    super(scope, id);

    this.handler = new UpkeepFunction(this, 'Handler', {
      entry: paths.apiHandler,
      serviceName: 'upkeep-api',
      memorySize: apiDefaults.memorySize,
      timeout: apiDefaults.timeout,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      environment: {
        TABLE_NAME: props.table.table.tableName,
        ...props.remedies?.environment,
      },
      paramsAndSecrets: props.remedies?.paramsAndSecrets,
    });
    this.handler.role.addToPolicy(tableReadStatement(props.table.arns));
    this.handler.role.addToPolicy(
      apiWriteStatement(props.table.table.tableArn),
    );
    this.handler.acknowledgeNoDeadLetters(
      'API Gateway invokes the function synchronously and returns its ' +
        'failure to the caller as a 5xx, which the dashboard and an alarm ' +
        'count; there is no asynchronous event to keep.',
    );

    this.api = new HttpApi(this, 'Api', {
      description: 'Upkeep devices and findings',
      createDefaultStage: false,
      defaultAuthorizer: props.authorizer,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(
          new LogGroup(this, 'AccessLogs', {
            retention: props.logRetention,
            removalPolicy: RemovalPolicy.DESTROY,
          }),
        ),
        format: ACCESS_LOG_FORMAT,
      },
    });

    const integration = new HttpLambdaIntegration('Handler', this.handler.fn);
    for (const route of API_ROUTES) {
      const [added] = this.api.addRoutes({
        path: route.path,
        methods: [route.method],
        integration,
        ...(route.public ? { authorizer: new HttpNoneAuthorizer() } : {}),
      });
      if (route.public && added) {
        Validations.of(added).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'GET /openapi.json serves the API description, public like any ' +
            'published API reference: it names routes and shapes, never ' +
            'data. The function answers nothing else on this route.',
        });
      }
    }
  }

  /** The URL of the default stage. */
  get url(): string {
    return this.stage.url;
  }
}

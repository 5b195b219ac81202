import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { DataTable } from './data-table.js';
import { paths } from './paths.js';
import type { LogLevel } from './settings.js';
import { tableReadStatement } from './table-access.js';
import { UpkeepFunction } from './upkeep-function.js';

/** The routes of the HTTP API, as API Gateway route keys. */
export const API_ROUTES = [
  { method: HttpMethod.GET, path: '/devices' },
  { method: HttpMethod.GET, path: '/devices/{id}' },
] as const;

/**
 * One JSON object per request, from HTTP API access-log variables only (the
 * REST API's standard fields include variables HTTP APIs do not have). With
 * IAM authorisation `userArn` names the caller.
 */
export const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTimeEpoch',
    ip: '$context.identity.sourceIp',
    userArn: '$context.identity.userArn',
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
}

/**
 * The HTTP API and its function. Every route requires AWS IAM (SigV4)
 * authorisation: until the JWT authoriser arrives, only principals of the
 * account that are granted execute-api:Invoke can call it.
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
      environment: { TABLE_NAME: props.table.table.tableName },
    });
    this.handler.role.addToPolicy(tableReadStatement(props.table.arns));

    this.api = new HttpApi(this, 'Api', {
      description: 'Upkeep devices and findings',
      createDefaultStage: false,
      defaultAuthorizer: new HttpIamAuthorizer(),
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
      this.api.addRoutes({
        path: route.path,
        methods: [route.method],
        integration,
      });
    }
  }

  /** The URL of the default stage. */
  get url(): string {
    return this.stage.url;
  }
}

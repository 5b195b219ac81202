import { Aws } from 'aws-cdk-lib';
import {
  Effect,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/**
 * The role EventBridge Scheduler assumes to invoke these functions: only
 * for schedules of this account (the confused-deputy guard) and only
 * lambda:InvokeFunction on exactly these functions.
 */
export function schedulerInvokeRole(
  scope: Construct,
  functions: readonly IFunction[],
) {
  const role = new Role(scope, 'InvokeRole', {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  });
  role.addToPolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['lambda:InvokeFunction'],
      resources: functions.map((fn) => fn.functionArn),
    }),
  );
  return role;
}

import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';

/**
 * DynamoDB item actions, named here rather than taken from `grant*Data` so
 * that the statements list the table and its indexes by name (the grants add
 * `index/*`) and the tests can compare them exactly.
 */
export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
] as const;

export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

export function tableReadStatement(tableArns: string[]) {
  return new PolicyStatement({
    effect: Effect.ALLOW,
    actions: [...TABLE_READ_ACTIONS],
    resources: tableArns,
  });
}

export function tableReadWriteStatement(tableArns: string[]) {
  return new PolicyStatement({
    effect: Effect.ALLOW,
    actions: [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
    resources: tableArns,
  });
}

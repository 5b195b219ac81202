/**
 * Published on-demand prices, us-east-1, USD, without free tiers (a fleet
 * of thousands of devices is far past them), as the AWS pricing pages
 * state them in 2026. One table, read by the fleet simulator
 * (`upkeep simulate`) and docs/cycles.md; update it here when AWS changes
 * a price.
 *
 * Metering rules that shape the counts (AWS IoT Core "additional metering
 * details"): MQTT messages are metered in 5 KB steps; CONNECT, SUBSCRIBE,
 * PUBLISH in either direction and, under MQTT 3.1.1, each PUBACK the device
 * sends (as one 5 KB message) are metered; PINGREQ/PINGRESP, DISCONNECT,
 * CONNACK, SUBACK and the broker's PUBACK are not. A data-plane HTTP
 * Publish is metered by its body in 5 KB steps. Shadow operations are
 * metered in 1 KB steps. DynamoDB: a write request unit covers 1 KB, a
 * read request unit 4 KB eventually consistent (half of a strongly
 * consistent read).
 */
export const US_EAST_1_PRICES = {
  iot: {
    /** Per million connection-minutes. */
    connectionMinute: 0.08,
    /** Per million messages (5 KB steps), the first billion a month. */
    message: 1.0,
    /** Per million Device Shadow or registry operations (1 KB steps). */
    shadowOperation: 1.25,
    /** Per million rules triggered. */
    ruleTriggered: 0.15,
    /** Per million rule actions applied. */
    ruleAction: 0.15,
  },
  lambda: {
    /** Per million requests. */
    request: 0.2,
    /** Per GB-second, arm64 (the functions' architecture). */
    gbSecondArm: 0.0000133334,
  },
  sqs: {
    /** Per million requests (64 KB steps), standard queues. */
    request: 0.4,
  },
  dynamodb: {
    /** Per million write request units, on-demand (after Nov 2024). */
    writeRequestUnit: 0.625,
    /** Per million read request units, on-demand. */
    readRequestUnit: 0.125,
    /** Per GB-month of table storage. */
    storageGbMonth: 0.25,
  },
  scheduler: {
    /** Per million EventBridge Scheduler invocations. */
    invocation: 1.0,
  },
} as const;

/** What a fleet used in one month, per device, in billing units. */
export interface MonthlyUsage {
  iotConnectionMinutes: number;
  iotMessages: number;
  iotShadowOperations: number;
  iotRulesTriggered: number;
  iotRuleActions: number;
  lambdaRequests: number;
  lambdaGbSeconds: number;
  sqsRequests: number;
  dynamoWriteUnits: number;
  dynamoReadUnits: number;
  dynamoStorageGb: number;
  schedulerInvocations: number;
}

export type CostBreakdown = Record<keyof MonthlyUsage, number> & {
  total: number;
};

/** USD for the usage, item by item and in total. */
export function monthlyCost(
  usage: MonthlyUsage,
  prices = US_EAST_1_PRICES,
): CostBreakdown {
  const perMillion = (count: number, price: number) => (count / 1e6) * price;
  const items: Record<keyof MonthlyUsage, number> = {
    iotConnectionMinutes: perMillion(
      usage.iotConnectionMinutes,
      prices.iot.connectionMinute,
    ),
    iotMessages: perMillion(usage.iotMessages, prices.iot.message),
    iotShadowOperations: perMillion(
      usage.iotShadowOperations,
      prices.iot.shadowOperation,
    ),
    iotRulesTriggered: perMillion(
      usage.iotRulesTriggered,
      prices.iot.ruleTriggered,
    ),
    iotRuleActions: perMillion(usage.iotRuleActions, prices.iot.ruleAction),
    lambdaRequests: perMillion(usage.lambdaRequests, prices.lambda.request),
    lambdaGbSeconds: usage.lambdaGbSeconds * prices.lambda.gbSecondArm,
    sqsRequests: perMillion(usage.sqsRequests, prices.sqs.request),
    dynamoWriteUnits: perMillion(
      usage.dynamoWriteUnits,
      prices.dynamodb.writeRequestUnit,
    ),
    dynamoReadUnits: perMillion(
      usage.dynamoReadUnits,
      prices.dynamodb.readRequestUnit,
    ),
    dynamoStorageGb: usage.dynamoStorageGb * prices.dynamodb.storageGbMonth,
    schedulerInvocations: perMillion(
      usage.schedulerInvocations,
      prices.scheduler.invocation,
    ),
  };
  const total = Object.values(items).reduce((sum, v) => sum + v, 0);
  return { ...items, total };
}

/** Billing steps of a payload: ceil(bytes / step), at least one. */
export function billedSteps(bytes: number, stepBytes: number): number {
  return Math.max(1, Math.ceil(bytes / stepBytes));
}

/**
 * The reviewed exceptions to "no `*` in an IAM resource", shared by the
 * scope test (security.test.ts) and docs/deploy.md:
 *
 * - actions IAM only accepts on `*` (the service defines no resource type
 *   for them), each granted only where a function or enrolment calls it;
 * - resource patterns whose `*` stands for names made at run time (things,
 *   jobs, certificates, client groups), each limited by a prefix or a
 *   suffix as far as IAM can express it.
 */
export const STAR_ONLY_ACTIONS: Record<string, string> = {
  'iot:DescribeEndpoint': "reads the account's IoT data endpoint",
  'iot:CreateKeysAndCertificate': 'creates a device certificate at enrolment',
  'iot:UpdateEventConfigurations':
    'turns on job events, an account-wide setting',
  'xray:PutTraceSegments': 'X-Ray active tracing of every function',
  'xray:PutTelemetryRecords': 'X-Ray active tracing of every function',
  'cloudwatch:PutMetricData': 'custom metrics (CloudWatch has no resources)',
};

/**
 * ARN patterns (after `arn:<partition>:<service>:<region>:<account>:`). A
 * pattern that narrows one of these (a longer prefix before the same
 * trailing `*`, such as `job/<name>-patch-*`) is reviewed with it.
 */
export function reviewedPatterns(deploymentName: string): string[] {
  return [
    'iot:thing/*',
    'iot:thing/*/policy',
    `iot:job/${deploymentName}-*`,
    'iot:topic/upkeep/v1/groups/*/cycles',
    'iot:cert/*',
    `iot:thinggroup/${deploymentName}-client-*`,
    `iot:thinggroup/${deploymentName}-ring-*`,
  ];
}

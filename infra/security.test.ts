import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { reviewedPatterns, STAR_ONLY_ACTIONS } from './lib/iam-scope.js';
import { UpkeepFunction } from './lib/upkeep-function.js';
import { type Json, render, synthOnce } from './test-support/synth.js';

const synth = synthOnce();

/** The custom resource handler CDK adds once per stack (iot-events.ts). */
const CDK_HANDLER = 'Upkeep/AWS679f53fac002430cb0da5b7982bd2287';
const IOT = 'arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:';
const wildcard = (resource: string) =>
  `AwsSolutions-IAM5[Resource::${IOT}${resource}]`;
const STAR = 'AwsSolutions-IAM5[Resource::*]';
const CYCLE_TOPICS = 'topic/upkeep/v1/groups/*/cycles';
const IOT_JOBS = [wildcard('job/upkeep-test-*'), wildcard('thing/*')];

/**
 * Every cdk-nag acknowledgement but the X-Ray one each function role has,
 * by construct path. Review a new one before adding it here.
 */
const REVIEWED: Record<string, string[]> = {
  [CDK_HANDLER]: [
    'AwsSolutions-L1',
    'Serverless-LambdaDLQ',
    'Serverless-LambdaLatestVersion',
    'Serverless-LambdaTracing',
  ],
  'Upkeep/Auth/PreToken/Function': ['Serverless-LambdaDLQ'],
  'Upkeep/Cycles/Cycles/Role': [wildcard(CYCLE_TOPICS)],
  'Upkeep/Cycles/Policy/Role': [wildcard('thing/*/policy')],
  'Upkeep/Dashboard/Distribution': [
    'AwsSolutions-CFR1',
    'AwsSolutions-CFR2',
    'AwsSolutions-CFR4',
  ],
  'Upkeep/Events/WebhookKey': ['AwsSolutions-SMG4'],
  'Upkeep/Events/WebhooksFunction/Function': ['Serverless-LambdaDLQ'],
  'Upkeep/Events/WebhooksFunction/Function/SqsEventSource:UpkeepEventsWebhooksBE9A4D95':
    ['Serverless-LambdaEventSourceMappingDestination'],
  'Upkeep/Fleet/EnrolmentPolicy': [
    STAR,
    wildcard('cert/*'),
    wildcard('thing/*'),
    wildcard('thinggroup/upkeep-test-client-*'),
    wildcard('thinggroup/upkeep-test-ring-*'),
  ],
  'Upkeep/Http/Api/GET--openapi.json': ['AwsSolutions-APIG4'],
  'Upkeep/Http/Handler/Function': ['Serverless-LambdaDLQ'],
  // On-demand runs create remedy jobs (lambdas/lib/on-demand-runs.ts).
  'Upkeep/Http/Handler/Role': IOT_JOBS,
  'Upkeep/Ingest/Function': ['Serverless-LambdaDLQ'],
  'Upkeep/Ingest/Function/SqsEventSource:UpkeepQueuesIngestF985F291': [
    'Serverless-LambdaEventSourceMappingDestination',
  ],
  'Upkeep/Ingest/Role': IOT_JOBS,
  'Upkeep/IotEvents/Configuration': [STAR],
  'Upkeep/Remedies/JobEventsFunction/Function': ['Serverless-LambdaDLQ'],
  'Upkeep/Remedies/JobEventsFunction/Function/SqsEventSource:UpkeepRemediesJobEvents4D425289':
    ['Serverless-LambdaEventSourceMappingDestination'],
  'Upkeep/Remedies/JobEventsFunction/Role': IOT_JOBS,
  'Upkeep/Patches/Planner/Role': [
    wildcard('job/upkeep-test-patch-*'),
    wildcard('thing/*'),
  ],
  'Upkeep/Remedies/SigningSecret': ['AwsSolutions-SMG4'],
  // CloudFormation waits for the custom resource's answer; nothing to keep.
  'Upkeep/Remedies/PublicKey/Function/Function': ['Serverless-LambdaDLQ'],
  ...Object.fromEntries(
    [
      'Alarms/Undelivered',
      'Events/WebhooksDeadLetter',
      'Queues/AsyncFailures',
      'Queues/DeadLetter',
      'Queues/RuleErrors',
      'Remedies/JobEventsDeadLetter',
    ].map((queue) => [
      `Upkeep/${queue}`,
      ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy'],
    ]),
  ),
};

function acknowledgements() {
  const found: Record<string, string> = {};
  for (const construct of synth.app.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [rule, reason] of Object.entries(entry.data ?? {})) {
        const id = rule.replace(/^annotation::/i, '');
        found[`${construct.node.path} ${id}`] = String(reason);
      }
    }
  }
  return found;
}

describe('cdk-nag', () => {
  it.each([
    ['AwsSolutions', () => new AwsSolutionsChecks()],
    ['Serverless', () => new ServerlessChecks()],
  ])('finds nothing unacknowledged in the %s pack', (_, pack) => {
    const report = pack().validateScope(synth.app);

    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('acknowledges only reviewed rules, each with a written reason', () => {
    const roles = synth.stack.node
      .findAll()
      .filter((c) => c instanceof UpkeepFunction)
      .map((fn) => `${fn.node.path}/Role ${STAR}`);
    const expected = [
      ...Object.entries(REVIEWED).flatMap(([path, rules]) =>
        rules.map((rule) => `${path} ${rule}`),
      ),
      ...roles,
    ];

    const found = acknowledgements();

    expect(Object.keys(found).sort()).toEqual([...new Set(expected)].sort());
    for (const [rule, reason] of Object.entries(found)) {
      expect(reason.length, rule).toBeGreaterThan(80);
    }
  });
});

/**
 * Every IAM policy document of the template (identity and resource
 * policies), with where it is. The device IoT policy is no IAM policy: its
 * `*` are topic wildcards under the thing's own name, which
 * infra/lib/device-policy.test.ts evaluates and docs/iot-policy.md reviews.
 */
function policyDocuments(): [string, Json][] {
  return Object.entries(synth.resources).flatMap(([id, resource]) => {
    if (resource.Type === 'AWS::IoT::Policy') return [];
    const props = resource.Properties ?? {};
    const documents: [string, Json][] = [];
    if (props.PolicyDocument) documents.push([id, props.PolicyDocument]);
    const inlines = resource.Type === 'AWS::IAM::Role' ? props.Policies : [];
    for (const inline of inlines ?? []) {
      documents.push([`${id}/${inline.PolicyName}`, inline.PolicyDocument]);
    }
    return documents;
  });
}

/**
 * A resource as text: pseudo parameters filled in (render), and a
 * reference to a resource of the stack as `<LogicalId.Arn>`.
 */
function resourceText(value: unknown): string {
  const named = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(named);
    if (typeof v !== 'object' || v === null) return v;
    const object = v as Json;
    if (object['Fn::GetAtt']) return `<${object['Fn::GetAtt'].join('.')}>`;
    return Object.fromEntries(
      Object.entries(object).map(([k, inner]) => [k, named(inner)]),
    );
  };
  const text = render(named(value));
  return typeof text === 'string' ? text : JSON.stringify(text);
}

/** Every object of one S3 bucket of this stack: `<Bucket.Arn>/*`. */
function isOwnBucketObjects(text: string) {
  const id = /^<([A-Za-z0-9]+)\.Arn>\/\*$/.exec(text)?.[1];
  return id !== undefined && synth.resources[id]?.Type === 'AWS::S3::Bucket';
}

/**
 * Whether a resource pattern is a reviewed one, or narrows one: the same
 * trailing `*` after a longer prefix (`iot:job/upkeep-test-patch-*` within
 * `iot:job/upkeep-test-*`).
 */
function isReviewed(pattern: string, reviewed: ReadonlySet<string>) {
  if (reviewed.has(pattern)) return true;
  const prefix = pattern.slice(0, -1);
  if (!pattern.endsWith('*') || prefix.includes('*')) return false;
  return [...reviewed].some(
    (known) =>
      known.endsWith('*') &&
      !known.slice(0, -1).includes('*') &&
      prefix.startsWith(known.slice(0, -1)),
  );
}

/** The account-relative part of a rendered ARN: `iot:thing/*`. */
function relative(arn: string) {
  const match = /^arn:aws:([a-z0-9-]+):eu-west-1:111122223333:(.+)$/.exec(arn);
  return match ? `${match[1]}:${match[2]}` : arn;
}

describe('the IAM statements', () => {
  // Oracle: an Allow statement may name `*` only if every action it grants
  // accepts nothing else (the documented list), and a resource pattern with
  // `*` only if it is one of the reviewed run-time name patterns or the
  // objects of a bucket of this stack.
  it('name no `*` resource where the service allows less', () => {
    const allowed = new Set(reviewedPatterns('upkeep-test'));
    const documents = policyDocuments();
    expect(documents.length).toBeGreaterThan(15);

    const offences: string[] = [];
    for (const [where, document] of documents) {
      for (const statement of document.Statement as Json[]) {
        if (statement.Effect !== 'Allow') continue;
        const actions: string[] = [statement.Action].flat();
        const resources = [statement.Resource].flat().map(resourceText);

        for (const action of actions) {
          if (action.includes('*')) offences.push(`${where}: ${action}`);
        }
        for (const text of resources) {
          if (!text.includes('*')) continue;
          const fine =
            text === '*'
              ? actions.every((a) => a in STAR_ONLY_ACTIONS)
              : isReviewed(relative(text), allowed) || isOwnBucketObjects(text);
          if (!fine) offences.push(`${where}: ${actions} on ${text}`);
        }
      }
    }

    expect(offences).toEqual([]);
  });

  it('grants `*`-only actions only to the roles that call them', () => {
    const holders: Record<string, string[]> = {};
    for (const [where, document] of policyDocuments()) {
      for (const statement of document.Statement as Json[]) {
        for (const action of [statement.Action].flat() as string[]) {
          if (!(action in STAR_ONLY_ACTIONS) || action.startsWith('xray:')) {
            continue;
          }
          holders[action] = [...(holders[action] ?? []), where];
        }
      }
    }
    const { id, stack } = synth;

    expect(holders['iot:DescribeEndpoint']?.length).toBe(3);
    expect(holders['iot:CreateKeysAndCertificate']).toEqual([
      id(stack.fleet.enrolmentPolicy),
    ]);
    expect(holders['iot:UpdateEventConfigurations']).toHaveLength(1);
  });

  it('attaches no managed policy but the enrolment policy', () => {
    const roles = synth.ofType('AWS::IAM::Role');

    for (const [logicalId, role] of roles) {
      const managed = role.Properties.ManagedPolicyArns;
      if (logicalId === synth.id(synth.stack.fleet.enrolmentRole)) {
        expect(managed).toEqual([synth.ref(synth.stack.fleet.enrolmentPolicy)]);
      } else {
        expect(managed, logicalId).toBeUndefined();
      }
    }
  });
});

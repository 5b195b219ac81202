import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { UpkeepAlarms } from './alarms.js';
import { CycleFunctions } from './cycle-functions.js';
import { CycleSchedules } from './cycle-schedules.js';
import { DashboardSite } from './dashboard-site.js';
import { DataTable } from './data-table.js';
import { CYCLE_GROUP_ATTRIBUTE, DevicePolicy } from './device-policy.js';
import { UpkeepEvents } from './events.js';
import { Fleet } from './fleet.js';
import { UpkeepHttpApi } from './http-api.js';
import { IngestFunction, ingestDefaults } from './ingest-function.js';
import { IotEvents } from './iot-events.js';
import { Observability } from './observability.js';
import { PatchDeployment } from './patch-deployment.js';
import { IngestQueues } from './queues.js';
import { Remedies } from './remedies.js';
import { readSettings, type UpkeepSettings } from './settings.js';
import { TopicRules } from './topic-rules.js';
import { UserAuth } from './user-auth.js';

/**
 * Everything one MSP deploys. The stack is environment-agnostic (no account
 * or region in the code) so that `cdk synth` needs no credentials and the
 * same template deploys to whichever account the CLI is pointed at.
 */
export class UpkeepStack extends Stack {
  readonly settings: UpkeepSettings;
  readonly table: DataTable;
  readonly queues: IngestQueues;
  readonly ingest: IngestFunction;
  readonly api: UpkeepHttpApi;
  readonly devicePolicy: DevicePolicy;
  readonly alarms: UpkeepAlarms;
  readonly remedies: Remedies;
  readonly cycleFunctions: CycleFunctions;
  readonly cycleSchedules: CycleSchedules;
  readonly userAuth: UserAuth;
  readonly fleet: Fleet;
  readonly iotEvents: IotEvents | undefined;
  readonly observability: Observability;
  readonly topicRules: TopicRules;
  readonly events: UpkeepEvents;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    // Validate before anything is built, so a bad setting fails synth with
    // its own message rather than as a side effect somewhere below.
    const settings = readSettings(scope.node.getAllContext());
    super(scope, id, {
      stackName: settings.deploymentName,
      description: 'Upkeep: preventive maintenance for managed devices',
      ...props,
    });
    this.settings = settings;

    this.table = new DataTable(this, 'Data');
    this.queues = new IngestQueues(this, 'Queues', {
      consumerTimeout: ingestDefaults.timeout,
    });
    this.remedies = new Remedies(this, 'Remedies', {
      deploymentName: settings.deploymentName,
      table: this.table,
      logLevel: settings.logLevel,
      logRetention: settings.logRetentionDays,
    });
    this.topicRules = new TopicRules(this, 'Rules', {
      deploymentName: settings.deploymentName,
      queues: { ...this.queues, jobEvents: this.remedies.queue },
    });
    this.ingest = new IngestFunction(this, 'Ingest', {
      table: this.table,
      queue: this.queues.ingest,
      deadLetterQueue: this.queues.deadLetter,
      logLevel: settings.logLevel,
      logRetention: settings.logRetentionDays,
      reportRetentionDays: settings.reportRetentionDays,
      remedies: this.remedies.sender,
    });
    this.remedies.grantSend(this.ingest);
    this.userAuth = new UserAuth(this, 'Auth', {
      deploymentName: settings.deploymentName,
      tokenValidityMinutes: settings.tokenValidityMinutes,
      logLevel: settings.logLevel,
      logRetention: settings.logRetentionDays,
    });
    this.api = new UpkeepHttpApi(this, 'Http', {
      authorizer: this.userAuth.authorizer,
      table: this.table,
      logLevel: settings.logLevel,
      logRetention: settings.logRetentionDays,
      throttle: {
        rateLimit: settings.apiThrottleRateLimit,
        burstLimit: settings.apiThrottleBurstLimit,
      },
      remedies: this.remedies.sender,
    });
    this.remedies.grantSend(this.api.handler);
    new DashboardSite(this, 'Dashboard', {
      apiEndpoint: this.api.api.apiEndpoint,
    });
    this.devicePolicy = new DevicePolicy(this, 'DevicePolicy', {
      policyName: `${settings.deploymentName}-device`,
    });
    this.fleet = new Fleet(this, 'Fleet', {
      deploymentName: settings.deploymentName,
      rings: settings.rings,
      table: this.table,
    });
    this.iotEvents = settings.manageIotEvents
      ? new IotEvents(this, 'IotEvents', {
          deploymentName: settings.deploymentName,
          logRetention: settings.logRetentionDays,
        })
      : undefined;
    this.cycleFunctions = new CycleFunctions(this, 'Cycles', {
      deploymentName: settings.deploymentName,
      table: this.table,
      ruleErrors: this.queues.ruleErrors,
      asyncFailures: this.queues.asyncFailures,
      logLevel: settings.logLevel,
      logRetention: settings.logRetentionDays,
    });
    this.cycleSchedules = new CycleSchedules(this, 'Schedules', {
      deploymentName: settings.deploymentName,
      timeZones: settings.cycleTimeZones,
      targets: {
        cycles: this.cycleFunctions.cycles.fn,
        sweep: this.cycleFunctions.sweep.fn,
        policy: this.cycleFunctions.policy.fn,
      },
    });
    this.events = new UpkeepEvents(this, 'Events', {
      deploymentName: settings.deploymentName,
      table: this.table,
      logLevel: settings.logLevel,
      logRetention: settings.logRetentionDays,
      publishers: [
        this.ingest,
        this.cycleFunctions.sweep,
        this.remedies.jobEvents,
      ],
      manager: this.api.handler,
    });
    new PatchDeployment(this, 'Patches', {
      deploymentName: settings.deploymentName,
      table: this.table,
      remedies: this.remedies,
      asyncFailures: this.queues.asyncFailures,
      logLevel: settings.logLevel,
      logRetention: settings.logRetentionDays,
    });
    this.alarms = new UpkeepAlarms(this, 'Alarms', {
      email: settings.alarmEmail,
    });
    // Keep last: it finds every function and failure queue built above.
    this.observability = new Observability(this, 'Observability', {
      deploymentName: settings.deploymentName,
      alarms: this.alarms,
      ingestQueue: this.queues.ingest,
      api: this.api.api,
      ruleNames: [
        ...this.topicRules.rules,
        this.cycleFunctions.presenceRule,
      ].map((rule) => rule.ruleName as string),
    });

    this.outputs();
  }

  private outputs() {
    const values: Record<string, [string, string]> = {
      ApiUrl: [
        this.api.url,
        'HTTP API base URL (Cognito JWT in Authorization)',
      ],
      TableName: [this.table.table.tableName, 'DynamoDB table'],
      DevicePolicyName: [
        this.devicePolicy.policyName,
        `IoT policy to attach to every device certificate; the thing needs ` +
          `the attribute ${CYCLE_GROUP_ATTRIBUTE}`,
      ],
      IngestQueueUrl: [this.queues.ingest.queueUrl, 'Ingest queue'],
      DeadLetterQueueUrl: [this.queues.deadLetter.queueUrl, 'Dead letters'],
      RuleErrorQueueUrl: [this.queues.ruleErrors.queueUrl, 'IoT rule errors'],
      AlarmTopicArn: [this.alarms.topic.topicArn, 'Alarm notifications'],
      JobSigningSecretArn: [
        this.remedies.signingSecret.secretArn,
        'Seed of the job-signing key (docs/remedies.md: public key for agents)',
      ],
      JobSigningPublicKey: [
        this.remedies.publicKey.publicKey,
        'Ed25519 public key agents verify remedy jobs with (raw, base64); ' +
          '`upkeep enroll --aws` puts it in the bundle',
      ],
      JobSigningKeyId: [this.remedies.publicKey.keyId, 'Its key id'],
      JobEventsQueueUrl: [this.remedies.queue.queueUrl, 'Job events'],
      PolicyFunctionName: [
        this.cycleFunctions.policy.fn.functionName,
        'Invoke with put-layer / deliver / reconcile (docs/cycles.md)',
      ],
    };
    for (const [id, [value, description]] of Object.entries(values)) {
      new CfnOutput(this, id, { value, description });
    }
  }
}

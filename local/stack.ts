import type { AgentHandle } from '../agent/agent.js';
import { type AgentLogger, createLogger } from '../agent/logger.js';
import { type Backend, backendDefaults, startBackend } from './backend.js';
import {
  createLocalBroker,
  type LocalBroker,
  type LocalBrokerOptions,
} from './broker/broker.js';
import { Closers } from './closers.js';
import { localDefaults, type PortKey } from './config.js';
import { DASHBOARD_PATH } from './http-api/dashboard-files.js';
import { startLocalRegistry } from './iot/local-registry.js';
import { localRemedyDefaults } from './iot/local-remedies.js';
import { startLocalAgent } from './local-agent.js';
import { assertPortsFree } from './ports-free.js';
import { formatOutcome } from './report-lines.js';
import { startRuleEngine } from './rules/rule-engine.js';
import { startCycleParts } from './scheduler/cycle-parts.js';
import {
  assertStateDirFree,
  claimStateDir,
  type StateLayout,
  stateLayout,
} from './state-dir.js';
import { startSecuredApi, tokenHint } from './tokens/secured-api.js';

export interface LocalStackOptions extends Partial<Record<PortKey, number>> {
  /** Absolute path of the state folder. */
  stateDir: string;
  /** Human lines (ready banner, one per processed message). @default stdout */
  print?: (line: string) => void;
  /** Structured JSON logs. @default JSON lines on stderr */
  logger?: AgentLogger;
  /** POWERTOOLS_LOG_LEVEL of the handlers. @default 'WARN' */
  handlerLogLevel?: string;
  /**
   * Run an agent checking this machine. Off for tests that drive devices
   * themselves. @default true
   */
  agent?: boolean;
  /** The local agent's thing name. @default from the host name */
  thingName?: string;
  /** The agent's own logger. @default JSON lines on stderr, as it logs */
  agentLogger?: AgentLogger;
}

export interface LocalStack {
  apiUrl: string;
  mqttUrl: string;
  /** The mTLS listener for enrolled devices (docs/enrolment.md). */
  mqttsUrl: string;
  /** The local CA that signs device and broker certificates, PEM. */
  caCertificatePem: string;
  sqsEndpoint: string;
  dynamoEndpoint: string;
  queueUrls: { ingest: string; deadLetter: string; ruleErrors: string };
  /** The IoT control plane (remedy jobs) for `@aws-sdk/client-iot`. */
  iotEndpoint: string;
  /** The public key agents verify job documents with. */
  jobSigning: { keyId: string; publicKeyPem: string };
  /** The IoT data plane (publish, policy shadows) for the real SDK. */
  iotDataEndpoint: string;
  /** The agent on this machine, when it runs. */
  agent?: AgentHandle;
  /** A token of the local issuer: scope `msp` or `client:<clientId>`. */
  mintToken(scope: string, ttlSeconds?: number): Promise<string>;
  /** Stops every part, newest first; safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Starts the whole back end in this process:
 *   check the state folder and the fixed ports are free
 *   → claim the state folder → dynalite, table, SQS queues, ingest poller
 *   → broker → topic rules → shadows, IoT data plane, cycle scheduler
 *   → HTTP API → agent on this machine → banner
 * On a failure, whatever had started is stopped again before it throws.
 */
export async function startLocalStack(
  options: LocalStackOptions,
): Promise<LocalStack> {
  const print = options.print ?? writeLine;
  const logger = options.logger ?? createLogger({ service: 'upkeep-local' });
  const closers = new Closers();

  try {
    const { layout, ...stack } = await compose(options, closers, print, logger);
    const agent =
      options.agent === false
        ? undefined
        : await startAgentOn(stack, layout, options, closers);

    print(readyBanner(stack, options.stateDir, agent?.thingName));
    print(tokenHint(options.stateDir));
    logger.info('local stack ready', { ...stack, stateDir: options.stateDir });
    return { ...stack, agent, stop: () => closers.closeAll() };
  } catch (error) {
    await closers.closeAll().catch((closeError: unknown) =>
      logger.warn('stopping after a failed start failed', {
        error: closeError,
      }),
    );
    throw error;
  }
}

async function compose(
  options: LocalStackOptions,
  closers: Closers,
  print: (line: string) => void,
  logger: AgentLogger,
) {
  const ports = { ...portDefaults(), ...definedPorts(options) };
  // Before anything is created in the state folder: a folder in use, then
  // a taken port, fail the start without leaving a half-made folder.
  assertStateDirFree(options.stateDir);
  await assertPortsFree(ports);
  const layout = stateLayout(options.stateDir);
  closers.add('state folder lock', claimStateDir(layout));

  const backend = await startBackend({
    layout,
    sqsPort: ports.sqsPort,
    dynamoPort: ports.dynamoPort,
    closers,
    logger,
    onOutcome: (outcome) => print(formatOutcome(outcome)),
    logLevel: options.handlerLogLevel,
    iotPort: ports.iotPort,
  });
  const devices = await startLocalRegistry({
    stateRoot: layout.root,
    jobs: backend.remedies.jobs,
    region: backendDefaults.region,
    accountId: localRemedyDefaults.accountId,
  });
  const broker = await startMessaging(
    backend,
    { port: ports.mqttPort, tls: devices.brokerTls(ports.mqttsPort) },
    closers,
    logger,
  );
  const cycles = await startCycleParts({
    broker,
    stateDir: layout.root,
    env: cycleEnv(backend, options),
    credentials: backendDefaults.credentials,
    closers,
    logger,
  });
  const { apiUrl, mintToken } = await startApi(
    backend,
    ports.apiPort,
    closers,
    logger,
    layout.root,
  );

  return {
    layout,
    apiUrl,
    mintToken,
    mqttUrl: broker.url,
    mqttsUrl: broker.tlsUrl ?? '',
    caCertificatePem: devices.ca.certificatePem,
    sqsEndpoint: backend.sqsEndpoint,
    dynamoEndpoint: backend.dynamoEndpoint,
    queueUrls: backend.queueUrls,
    iotEndpoint: backend.remedies.jobs.endpoint,
    jobSigning: backend.remedies.signing,
    iotDataEndpoint: cycles.iotDataEndpoint,
  };
}

/** What the cycle, sweep and policy functions need of the environment. */
function cycleEnv(backend: Backend, options: LocalStackOptions) {
  return {
    TABLE_NAME: backendDefaults.tableName,
    AWS_REGION: backendDefaults.region,
    AWS_ENDPOINT_URL_DYNAMODB: backend.dynamoEndpoint,
    POWERTOOLS_LOG_LEVEL: options.handlerLogLevel ?? backendDefaults.logLevel,
    // The patch planner signs its deployments and sends them to IoT Jobs.
    ...backend.remedies.env,
  };
}

/** The broker and the topic rules that feed the ingest queue. */
async function startMessaging(
  backend: Backend,
  listeners: Pick<LocalBrokerOptions, 'port' | 'tls'>,
  closers: Closers,
  logger: AgentLogger,
) {
  const broker = await createLocalBroker(listeners);
  await backend.remedies.jobs.attach(broker);
  const rules = await startRuleEngine({
    broker,
    sqs: backend.sqs,
    queueUrls: {
      ingest: backend.queueUrls.ingest,
      'job-events': backend.remedies.queueUrls.jobEvents,
    },
    errorQueueUrl: backend.queueUrls.ruleErrors,
  }).catch(async (error: unknown) => {
    await broker.close();
    throw error;
  });
  // The broker stops before the rules so that no message arrives while the
  // rules drain what they hold.
  closers.add('topic rules', () => rules.close());
  closers.add('MQTT broker', () => broker.close());
  logEvents(logger, broker, rules.events);
  return broker;
}

async function startApi(
  backend: Backend,
  port: number,
  closers: Closers,
  logger: AgentLogger,
  stateRoot: string,
) {
  const { api, mintToken } = await startSecuredApi({
    handler: backend.apiHandler,
    port,
    stateRoot,
  });
  closers.add('HTTP API', () => api.close());
  // A refused token is the authorizer working; worth a look, not an alarm.
  api.events.on('unauthorized', (refusal) =>
    logger.debug('api token refused', refusal),
  );
  // The api handler logs its own failures; this one is the gateway's view.
  api.events.on('invocation-failed', (failure) =>
    logger.error('api invocation failed', failure),
  );
  return { apiUrl: api.url, mintToken };
}

async function startAgentOn(
  stack: { mqttUrl: string; jobSigning: LocalStack['jobSigning'] },
  layout: StateLayout,
  options: LocalStackOptions,
  closers: Closers,
) {
  const { keyId, publicKeyPem } = stack.jobSigning;
  const agent = await startLocalAgent({
    brokerUrl: stack.mqttUrl,
    // The agent trusts the jobs this deployment signs.
    jobs: { publicKeys: { [keyId]: publicKeyPem } },
    stateDir: layout.agent,
    thingName: options.thingName,
    logger: options.agentLogger,
  });
  closers.add('agent', () => agent.stop());
  return agent;
}

function logEvents(
  logger: AgentLogger,
  broker: LocalBroker,
  rules: NodeJS.EventEmitter,
) {
  // A refusal is the policy working; it is worth a look, not an alarm.
  broker.events.on('denied', (event) =>
    logger.warn('mqtt request denied', event),
  );
  broker.events.on('clientError', ({ clientId, error }) =>
    logger.debug('mqtt client error', { clientId, error }),
  );
  rules.on('action-failed', (failure) =>
    logger.warn('topic rule action failed, sent to the error queue', failure),
  );
  rules.on('lost', (failure) =>
    logger.error('topic rule message lost', failure),
  );
}

function portDefaults(): Record<PortKey, number> {
  const { mqttPort, mqttsPort, apiPort, sqsPort, dynamoPort, iotPort } =
    localDefaults;
  return { mqttPort, mqttsPort, apiPort, sqsPort, dynamoPort, iotPort };
}

function definedPorts(options: LocalStackOptions) {
  const keys: PortKey[] = [
    'mqttPort',
    'mqttsPort',
    'apiPort',
    'sqsPort',
    'dynamoPort',
    'iotPort',
  ];
  return Object.fromEntries(
    keys.flatMap((k) => (options[k] === undefined ? [] : [[k, options[k]]])),
  ) as Partial<Record<PortKey, number>>;
}

function readyBanner(
  stack: {
    apiUrl: string;
    mqttUrl: string;
    mqttsUrl: string;
    sqsEndpoint: string;
    dynamoEndpoint: string;
  },
  stateDir: string,
  thingName: string | undefined,
) {
  const rows: [string, string][] = [
    ['API', stack.apiUrl],
    ['dashboard', `${stack.apiUrl}${DASHBOARD_PATH}`],
    ['MQTT', stack.mqttUrl],
    ['MQTT mTLS', stack.mqttsUrl],
    ['SQS', stack.sqsEndpoint],
    ['DynamoDB', stack.dynamoEndpoint],
    ['state', stateDir],
    ['agent', thingName ?? 'off (--no-agent)'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    'Upkeep local stack ready',
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
  ].join('\n');
}

function writeLine(line: string) {
  process.stdout.write(`${line}\n`);
}

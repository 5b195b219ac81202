import { TOPIC_FILTERS } from './topics.js';

/**
 * IoT topic rules (SQL version 2016-03-23). infra turns each into a
 * CfnTopicRule with an SQS action; local/ routes by the same topic filter and
 * builds the same envelope (core/schemas/envelope.ts).
 */
export interface TopicRuleDefinition {
  /** Rule name: letters, digits and underscores only. */
  name: string;
  topicFilter: string;
  sql: string;
  /** The logical queue the rule sends to. */
  queue: 'ingest' | 'job-events';
}

function envelopeSql(topicFilter: string) {
  return (
    'SELECT topic() AS topic, clientid() AS clientId, timestamp() AS ' +
    `receivedAt, encode(*, 'base64') AS payload FROM '${topicFilter}'`
  );
}

export const TOPIC_RULES: readonly TopicRuleDefinition[] = [
  {
    name: 'upkeep_reports',
    topicFilter: TOPIC_FILTERS.reports,
    sql: envelopeSql(TOPIC_FILTERS.reports),
    queue: 'ingest',
  },
  {
    name: 'upkeep_hello',
    topicFilter: TOPIC_FILTERS.hello,
    sql: envelopeSql(TOPIC_FILTERS.hello),
    queue: 'ingest',
  },
  {
    // Final job execution statuses (docs/remedies.md). IoT publishes them
    // only once job execution events are enabled for the account.
    name: 'upkeep_job_executions',
    topicFilter: TOPIC_FILTERS.jobExecutionEvents,
    sql: envelopeSql(TOPIC_FILTERS.jobExecutionEvents),
    queue: 'job-events',
  },
];

export const IOT_SQL_VERSION = '2016-03-23';

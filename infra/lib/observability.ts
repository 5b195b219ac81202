import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmDefaults, type UpkeepAlarms } from './alarms.js';
import { finalQueues } from './queues.js';
import { UpkeepFunction } from './upkeep-function.js';

export const observabilityDefaults = {
  /** Graph period. */
  period: Duration.minutes(5),
  /** API 5xx in one period before the alarm; a few are retried anyway. */
  serverErrorThreshold: 5,
  widgetWidth: 12,
};

export interface ObservabilityProps {
  deploymentName: string;
  alarms: UpkeepAlarms;
  ingestQueue: Queue;
  api: HttpApi;
  /** Every topic rule name, for the IoT rule graphs. */
  ruleNames: string[];
}

/**
 * The CloudWatch dashboard and the alarms derived from the stack's parts.
 * It is built last in the stack and finds its subjects itself: every
 * UpkeepFunction gets an error alarm and a line in the function graphs,
 * every queue marked final (queues.ts `acknowledgeFinal`) a depth alarm and
 * a line in the failure graph, so a capability added later is watched
 * without further wiring.
 */
export class Observability extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const functions = stack.node
      .findAll()
      .filter((c): c is UpkeepFunction => c instanceof UpkeepFunction);
    const queues = stack.node
      .findAll()
      .filter((c): c is Queue => c instanceof Queue && finalQueues.has(c));

    const alarms = [
      ...functions.map((fn) =>
        props.alarms.alarm(
          `${alarmId(fn)}Errors`,
          `The ${fn.serviceName} function failed`,
          fn.fn.metricErrors({
            period: alarmDefaults.errorPeriod,
            statistic: 'Sum',
          }),
        ),
      ),
      ...queues.map((queue) =>
        props.alarms.alarm(
          `${alarmId(queue)}Depth`,
          `Messages are waiting in a failure queue: ${finalQueues.get(queue)}`,
          queueDepth(queue, alarmDefaults.queuePeriod),
        ),
      ),
      props.alarms.alarm(
        'ApiServerErrors',
        'The HTTP API answered with server errors',
        props.api.metricServerError({
          period: alarmDefaults.errorPeriod,
          statistic: 'Sum',
        }),
        {
          threshold: observabilityDefaults.serverErrorThreshold,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        },
      ),
    ];

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${props.deploymentName}-operations`,
      defaultInterval: Duration.hours(24),
    });
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({
        title,
        left,
        right,
        width: observabilityDefaults.widgetWidth,
      });
    const period = observabilityDefaults.period;
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms, width: 24 }),
    );
    this.dashboard.addWidgets(
      graph(
        'Ingest throughput',
        [
          props.ingestQueue.metricNumberOfMessagesSent({ period }),
          props.ingestQueue.metricNumberOfMessagesDeleted({ period }),
        ],
        [props.ingestQueue.metricApproximateAgeOfOldestMessage({ period })],
      ),
      graph(
        'Failure queues (messages waiting)',
        queues.map((queue) => queueDepth(queue, period, alarmId(queue))),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Function errors',
        functions.map((fn) =>
          fn.fn.metricErrors({ period, label: fn.serviceName }),
        ),
      ),
      graph(
        'Function duration (p99)',
        functions.map((fn) =>
          fn.fn.metricDuration({
            period,
            statistic: 'p99',
            label: fn.serviceName,
          }),
        ),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'HTTP API',
        [
          props.api.metricClientError({ period, label: '4xx' }),
          props.api.metricServerError({ period, label: '5xx' }),
        ],
        [props.api.metricCount({ period, label: 'requests' })],
      ),
      graph(
        'IoT connections',
        ['Connect.Success', 'Connect.AuthNError', 'Connect.ClientError'].map(
          (name) => iotMetric(name, { Protocol: 'MQTT' }, period),
        ),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'IoT rules: messages matched',
        props.ruleNames.map((rule) =>
          iotMetric('TopicMatch', { RuleName: rule }, period),
        ),
      ),
      graph('IoT rule actions and errors', [
        ...['SQS', 'Lambda'].map((type) =>
          iotMetric('Failure', { ActionType: type }, period),
        ),
        iotMetric('ErrorActionFailure', undefined, period),
        iotMetric('RuleMessageThrottled', undefined, period),
      ]),
    );
  }
}

function queueDepth(queue: Queue, period: Duration, label?: string) {
  return queue.metricApproximateNumberOfMessagesVisible({
    period,
    statistic: 'Maximum',
    label,
  });
}

/** AWS/IoT metrics, summed per period. */
function iotMetric(
  metricName: string,
  dimensionsMap: Record<string, string> | undefined,
  period: Duration,
) {
  return new Metric({
    namespace: 'AWS/IoT',
    metricName,
    dimensionsMap,
    period,
    statistic: 'Sum',
    label: dimensionsMap
      ? `${metricName} ${Object.values(dimensionsMap).join(' ')}`
      : metricName,
  });
}

/** A construct id path made into an alarm id: Cycles/Sweep → CyclesSweep. */
function alarmId(construct: Construct) {
  const path = construct.node.path.split('/').slice(1);
  return path.join('').replace(/[^A-Za-z0-9]/g, '');
}

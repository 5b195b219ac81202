import { EventEmitter } from 'node:events';
import { assertLoopback, assertPort, closeServer } from '../net/listen.js';
import { type ExtraRoute, startControlPlane } from './control-plane.js';
import { type JobsBroker, startDeviceApi } from './device-api.js';
import { jobCompletedEvent, jobExecutionEvent } from './events.js';
import { JobsService, type JobsServiceOptions } from './jobs-service.js';
import type { ExecutionRecord, JobRecord } from './model.js';

export { JobsService } from './jobs-service.js';

export const iotJobsDefaults = {
  host: '127.0.0.1',
  /** The control plane's HTTP port; 0 picks a free one. */
  port: 18_443,
} as const;

export interface IotControlPlaneOptions extends JobsServiceOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 18443 */
  port?: number;
}

export interface IotJobsOptions extends IotControlPlaneOptions {
  broker: JobsBroker;
}

export interface IotJobs {
  /** The control-plane endpoint for `new IoTClient({ endpoint })`. */
  endpoint: string;
  service: JobsService;
  /** `error` (a failed publish or request; the stand-in never logs). */
  events: EventEmitter;
  /**
   * Serves the device API on the broker and publishes the job events
   * there. Until then jobs are made and kept, and devices hear of them
   * once attached.
   */
  attach(broker: JobsBroker): Promise<void>;
  /** Serves more IoT operations on the same endpoint (the registry). */
  serve(routes: readonly ExtraRoute[]): void;
  close(): Promise<void>;
}

/**
 * The IoT Jobs stand-in: the control plane over HTTP for
 * @aws-sdk/client-iot, the device MQTT API on the broker, and the job
 * execution events IoT publishes on `$aws/events/...`, which the topic
 * rules route like any other message.
 */
export async function startIotJobs(options: IotJobsOptions): Promise<IotJobs> {
  const jobs = await startIotControlPlane(options);
  await jobs.attach(options.broker).catch(async (error: unknown) => {
    await jobs.close();
    throw error;
  });
  return jobs;
}

/** The control plane now, the broker side later with `attach`. */
export async function startIotControlPlane(
  options: IotControlPlaneOptions,
): Promise<IotJobs> {
  const host = assertLoopback(options.host ?? iotJobsDefaults.host);
  const port = assertPort('IoT port', options.port ?? iotJobsDefaults.port);
  const events = new EventEmitter();
  const onError = (error: unknown) => events.emit('error', error);
  const service = new JobsService(options);
  const control = await startControlPlane(service, host, port, onError).catch(
    (error: unknown) => {
      service.close();
      throw error;
    },
  );
  const detach: (() => Promise<void> | void)[] = [];

  return {
    endpoint: control.endpoint,
    service,
    events,
    attach: async (broker) => {
      detach.push(publishEvents(service, broker, onError));
      detach.push(await startDeviceApi(service, broker, onError));
    },
    serve: (routes) => {
      control.extraRoutes.push(...routes);
    },
    close: async () => {
      await closeServer(control.server);
      for (const stop of detach.reverse()) await stop();
      service.close();
    },
  };
}

function publishEvents(
  service: JobsService,
  broker: JobsBroker,
  onError: (error: unknown) => void,
) {
  const send = ({ topic, payload }: { topic: string; payload: unknown }) =>
    broker.publish(topic, JSON.stringify(payload)).catch(onError);
  const onFinal = ({ execution }: { execution: ExecutionRecord }) =>
    send(
      jobExecutionEvent(
        execution,
        service.thingArn(execution.thingName),
        Date.now(),
      ),
    );
  const onCompleted = ({ job }: { job: JobRecord }) =>
    send(jobCompletedEvent(job, service.executionsOf(job.jobId), Date.now()));

  service.on('execution-final', onFinal);
  service.on('job-completed', onCompleted);
  return () => {
    service.off('execution-final', onFinal);
    service.off('job-completed', onCompleted);
  };
}

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type Report,
  reportSchema,
  type UnsignedJobDocument,
} from '../../../core/index.js';
import {
  createLocalBroker,
  type LocalBroker,
} from '../../../local/broker/broker.js';
import {
  type AgentHandle,
  type AgentOptions,
  startAgent,
} from '../../agent.js';
import { createCleanupCheck } from '../../checks/cleanup/index.js';
import { writeAged } from '../../checks/cleanup/test-tree.js';
import { diskSpaceCheck } from '../../checks/disk-space/check.js';
import { silentLogger } from '../../logger.js';
import type { CommandResult, CommandRunner } from '../../platform/command.js';
import { decodePowershellArgs } from '../../platform/windows/powershell.js';
import { TestJobsService } from './jobs-service.js';
import { signJob, type TestKey, testKey } from './sign.js';

/**
 * The jobs tests' world: the project's local broker (with the device
 * policy) on an ephemeral loopback port, the test Jobs service on it, a
 * deployment key, a temp folder with a cleanup root holding one old file,
 * and agents started with `startAgent` exactly as in production.
 */
export const THING = 'laptop-0042';

export interface Rig {
  broker: LocalBroker;
  jobs: TestJobsService;
  key: TestKey;
  dir: string;
  stateDir: string;
  cleanupRoot: string;
  oldFile: string;
  /** Reports the broker received, as the ingest rule would. */
  reports: Report[];
  startAgent(extra?: Partial<AgentOptions>): Promise<AgentHandle>;
  /**
   * Stands for the process dying: the agent disconnects and is dropped
   * while its remedy, held by the runner, never returns.
   */
  crash(agent: AgentHandle): Promise<void>;
  sign(document: UnsignedJobDocument, key?: TestKey): unknown;
  close(): Promise<void>;
}

export async function createRig(): Promise<Rig> {
  const broker = await createLocalBroker({ port: 0 });
  const jobs = await TestJobsService.start(broker);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'upkeep-jobs-'));
  const stateDir = path.join(dir, 'state');
  const cleanupRoot = path.join(dir, 'temp');
  const oldFile = path.join(cleanupRoot, 'old.log');
  await writeAged(oldFile, 4096, 30);

  const reports: Report[] = [];
  const stopReports = await broker.subscribeInternal(
    'upkeep/v1/devices/+/reports',
    (m) => reports.push(reportSchema.parse(JSON.parse(m.payload.toString()))),
  );
  const key = testKey('deploy-1');
  const agents: AgentHandle[] = [];

  return {
    ...{ broker, jobs, key, dir, stateDir, cleanupRoot, oldFile, reports },
    startAgent: async (extra = {}) => {
      const agent = await startAgent({
        brokerUrl: broker.url,
        thingName: THING,
        stateDir,
        logger: silentLogger,
        reconnect: { baseMs: 50, maxMs: 200 },
        schedule: false,
        checks: [
          createCleanupCheck({
            stateDir,
            roots: [{ category: 'temp-user', path: cleanupRoot }],
          }),
          diskSpaceCheck,
        ],
        jobs: {
          publicKeys: { [key.keyId]: key.publicKeyPem },
          responseTimeoutMs: 2_000,
          tuning: { updateRetryDelayMs: 20 },
        },
        ...extra,
      });
      agents.push(agent);
      return agent;
    },
    crash: async (agent) => {
      agents.splice(agents.indexOf(agent), 1);
      await agent.stop();
    },
    sign: (document, signer = key) => signJob(document, signer),
    close: async () => {
      for (const agent of agents.reverse()) await agent.stop();
      await stopReports();
      await jobs.close();
      await broker.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A runner at the OS boundary that records each call (PowerShell scripts
 * decoded) and answers from `answer`; `hold()` makes calls wait until
 * `release()`, to stop an agent in the middle of a remedy.
 */
export function recordingRunner(
  answer: (
    command: string,
    script: string,
  ) => Partial<CommandResult> = () => ({}),
) {
  const calls: { command: string; args: readonly string[]; script: string }[] =
    [];
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  const run: CommandRunner = async (command, args) => {
    const script =
      command === 'powershell.exe' ? decodePowershellArgs(args) : '';
    calls.push({ command, args, script });
    if (gate) await gate;
    return {
      command,
      args,
      exitCode: 0,
      stdout: '',
      stderr: '',
      timedOut: false,
      ...answer(command, script),
    };
  };
  return {
    run,
    calls,
    hold: () => {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release: () => {
      gate = undefined;
      open?.();
    },
  };
}

export async function exists(file: string) {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { createLogger } from '../agent/logger.js';
import { startTestStack, tempStateDir } from '../local/test-support.js';
import { runEnrollCommand } from './enroll.js';

/** A local stack on free ports whose structured log lines are kept. */
export async function startEnrolmentStack() {
  const stateDir = tempStateDir();
  const logLines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'upkeep-local',
    write: (line) => logLines.push(JSON.parse(line)),
  });
  const { stack } = await startTestStack(stateDir, { logger });
  return { stack, stateDir, logLines };
}

type Stack = Awaited<ReturnType<typeof startEnrolmentStack>>;

/** The flags that aim `upkeep enroll` at the stack's ports. */
export function localFlags({ stack, stateDir }: Stack) {
  const port = (url: string) => new URL(url).port;
  return [
    '--state',
    stateDir,
    '--iot-port',
    port(stack.iotEndpoint),
    '--dynamo-port',
    port(stack.dynamoEndpoint),
    '--mqtts-port',
    port(stack.mqttsUrl),
  ];
}

/** Runs the real command in this process; returns its exit and output. */
export async function enroll(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runEnrollCommand(argv, {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: {},
    cwd: tmpdir(),
    now: Date.now,
  });
  return { status, stdout: out.join(''), stderr: err.join('') };
}

/** Enrols one device of the stack; returns its bundle folder. */
export async function enrolDevice(
  target: Stack,
  clientId: string,
  siteId: string,
  thingName: string,
) {
  const outDir = join(scratchDir(), 'bundle');
  const result = await enroll([
    '--client',
    clientId,
    '--site',
    siteId,
    '--name',
    thingName,
    '--out',
    outDir,
    ...localFlags(target),
  ]);
  if (result.status !== 0) throw new Error(result.stderr);
  return outDir;
}

/** A folder removed when the test ends. */
export function scratchDir() {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-enrol-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

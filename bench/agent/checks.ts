import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchBroker } from './broker.js';
import { AGENT_BUNDLE } from './bundle.js';
import type { ChecksRunLine } from './checks-entry.js';
import { type Child, exitedEarly, startChild } from './child.js';
import type { AgentBenchSettings } from './defaults.js';
import { AgentBenchError } from './errors.js';
import { readMemory, resetPeakRss } from './proc.js';
import { sampleWindow, type WindowFigures } from './sampler.js';
import { launch } from './variants.js';

export interface ChecksFigures {
  /** Resident size once connected and settled, before the checks. */
  rssBeforeBytes: number;
  /** VmHWM reset before the checks and read after: the exact peak. */
  window: WindowFigures;
  /** Resident size a settle period after the last acknowledgement. */
  rssAfterBytes: number;
  run: ChecksRunLine;
}

/**
 * Runs the checks child (the agent with every check), waits for its
 * hello, lets it settle, resets its peak RSS, then asks it to run every
 * check once and samples it until the last report is acknowledged.
 */
export async function measureChecks(
  io: { root: string; node: string; childBundle: string; ticks: number },
  broker: BenchBroker,
  settings: AgentBenchSettings,
  thingName: string,
): Promise<ChecksFigures> {
  const stateDir = await mkdtemp(join(tmpdir(), 'upkeep-bench-checks-'));
  const hello = broker.next(
    thingName,
    'hello',
    settings.startTimeoutSeconds * 1000,
  );
  // Started like the agent (the launcher's flags and environment), with
  // its checks in helper processes of the shipped bundle.
  const args = ['--broker', broker.url, '--thing', thingName];
  args.push('--state', stateDir, '--helper-bundle', AGENT_BUNDLE);
  const child = startChild(
    io.node,
    [...launch.nodeFlags, io.childBundle, ...args],
    io.root,
    launch.env,
  );
  try {
    const failed = exitedEarly(child, 'the end of its checks');
    failed.catch(() => undefined);
    await Promise.race([hello, failed]);
    await sleep(settings.settleSeconds * 1000);

    const rssBeforeBytes = readMemory(child.pid).rssBytes;
    resetPeakRss(child.pid);
    const line = runLine(child, settings.checksTimeoutSeconds * 1000);
    const window = await sampleWindow(
      child.pid,
      Promise.race([line, failed]),
      settings.sampleIntervalMs,
      io.ticks,
    );
    const run = await line;
    await sleep(settings.settleSeconds * 1000);

    const rssAfterBytes = readMemory(child.pid).rssBytes;
    child.process.stdin?.end('stop\n');
    await Promise.race([child.exited, sleep(settings.settleSeconds * 1000)]);
    return { rssBeforeBytes, window, rssAfterBytes, run };
  } finally {
    await child.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

/** Writes `run` and resolves with the JSON line the child answers. */
function runLine(child: Child, timeoutMs: number): Promise<ChecksRunLine> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new AgentBenchError(
            'checks-timeout',
            `checks not done within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
    child.onStdoutLine((text) => {
      clearTimeout(timer);
      resolve(JSON.parse(text) as ChecksRunLine);
    });
    child.process.stdin?.write('run\n');
  });
}

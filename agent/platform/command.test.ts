import { describe, expect, it } from 'vitest';
import { runCommand } from './command.js';

describe('runCommand', () => {
  it('returns the exit code and output of a real process', async () => {
    const result = await runCommand('sh', [
      '-c',
      'echo out; echo err >&2; exit 3',
    ]);

    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe('out\n');
    expect(result.stderr).toBe('err\n');
    expect(result.timedOut).toBe(false);
  });

  it('reports a missing binary as data, with no exit code', async () => {
    const result = await runCommand('upkeep-no-such-binary', []);

    expect(result.exitCode).toBeNull();
    expect(result.spawnError).toMatch(/ENOENT/);
  });

  it('kills a command that outlives its timeout', async () => {
    const result = await runCommand('sleep', ['5'], { timeoutMs: 100 });

    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
  });

  it('ends the grandchildren of a command that times out', async () => {
    const started = Date.now();
    const result = await runCommand('sh', ['-c', 'sleep 30; echo late'], {
      timeoutMs: 200,
    });

    expect(result.timedOut).toBe(true);
    expect(result.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('keeps at most the output limit per stream', async () => {
    const result = await runCommand('head', ['-c', '100000', '/dev/zero'], {
      maxOutputBytes: 1024,
    });

    expect(result.stdout.length).toBeLessThan(100_000);
    expect(result.stdout.length).toBeGreaterThanOrEqual(1024);
  });
});

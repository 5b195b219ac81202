import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  agentBuildOptions,
  agentLaunch,
  // @ts-expect-error: a plain ES module shared with scripts/build.mjs.
} from '../scripts/build-options.mjs';

const here = import.meta.dirname;
const launch = agentLaunch as { nodeFlags: string[]; env: object };

/** The Linux unit: one truth, the bundle-based one install.sh writes. */
function unitLines() {
  return readFileSync(join(here, 'linux/upkeep-agent.service'), 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('#'));
}

describe('the agent build and the systemd unit', () => {
  it('writes the launchers and no systemd unit of its own, removing an old one', async () => {
    const out = mkdtempSync(join(tmpdir(), 'upkeep-launchers-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    mkdirSync(join(out, 'agent'));
    writeFileSync(join(out, 'agent/upkeep-agent.service'), '[Service]\n');

    await build({
      ...agentBuildOptions,
      outdir: out,
      outExtension: { '.js': '.mjs' },
      entryPoints: { 'agent/index': join(here, '../agent/main.ts') },
      logLevel: 'silent',
    });

    expect(existsSync(join(out, 'agent/index.mjs'))).toBe(true);
    expect(existsSync(join(out, 'agent/upkeep-agent'))).toBe(true);
    expect(existsSync(join(out, 'agent/upkeep-agent.cmd'))).toBe(true);
    expect(existsSync(join(out, 'agent/upkeep-agent.service'))).toBe(false);
    const launcher = readFileSync(join(out, 'agent/upkeep-agent'), 'utf8');
    for (const flag of launch.nodeFlags) expect(launcher).toContain(flag);
    for (const [name, value] of Object.entries(launch.env)) {
      expect(launcher).toContain(`${name}=\${${name}:-${value}}`);
    }
  });

  it('runs the agent through the launcher with the install bundle', () => {
    const lines = unitLines();

    const execStart = lines.filter((line) => line.startsWith('ExecStart='));
    expect(execStart).toEqual([
      'ExecStart=/opt/upkeep/agent/upkeep-agent --bundle /etc/upkeep/bundle ' +
        '--state /var/lib/upkeep',
    ]);
    // Certificates come from the bundle, node from install.sh, flags from
    // the launcher: nothing of the old generated unit remains.
    expect(lines.join('\n')).not.toMatch(/--cert|--key|--ca|EnvironmentFile/);
    expect(lines).toContain('Environment=UPKEEP_NODE=@NODE@');
  });
});

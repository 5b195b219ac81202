import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BUNDLE_FILES } from '../agent/transport/install-bundle.js';
import { readPlist } from './plist-reader.js';

const here = import.meta.dirname;

function scratch() {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-install-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A bundle and an agent build as `upkeep enroll` and the build leave them. */
function inputs() {
  const dir = scratch();
  const bundle = join(dir, 'bundle');
  const agent = join(dir, 'agent');
  mkdirSync(bundle);
  mkdirSync(agent);
  for (const name of Object.values(BUNDLE_FILES)) {
    writeFileSync(join(bundle, name), `${name}\n`, { mode: 0o600 });
  }
  writeFileSync(join(agent, 'index.mjs'), '');
  writeFileSync(join(agent, 'upkeep-agent'), '#!/bin/sh\n', { mode: 0o755 });
  return { bundle, agent };
}

function install(script: string, args: string[]) {
  return spawnSync('sh', [join(here, script), ...args], { encoding: 'utf8' });
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe('linux/install.sh', () => {
  it('installs the build, the bundle and the unit below a root', () => {
    const { bundle, agent } = inputs();
    const root = scratch();

    const run = install('linux/install.sh', [
      ...['--bundle', bundle, '--agent', agent],
      ...['--node', process.execPath, '--root', root],
    ]);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(mode(join(root, 'etc/upkeep/bundle'))).toBe(0o700);
    expect(mode(join(root, 'etc/upkeep/bundle/private.pem.key'))).toBe(0o600);
    expect(mode(join(root, 'etc/upkeep/bundle/config.json'))).toBe(0o644);
    expect(existsSync(join(root, 'opt/upkeep/agent/upkeep-agent'))).toBe(true);
    const unit = readFileSync(
      join(root, 'etc/systemd/system/upkeep-agent.service'),
      'utf8',
    );
    expect(unit).toContain(`Environment=UPKEEP_NODE=${process.execPath}\n`);
    expect(unit).toContain(
      'ExecStart=/opt/upkeep/agent/upkeep-agent --bundle /etc/upkeep/bundle' +
        ' --state /var/lib/upkeep\n',
    );
  });

  it('writes a unit that systemd-analyze verify accepts', () => {
    const { bundle, agent } = inputs();
    const root = scratch();
    install('linux/install.sh', [
      ...['--bundle', bundle, '--agent', agent],
      ...['--node', process.execPath, '--root', root],
    ]);
    // The targets the unit orders itself against, from this machine.
    cpSync('/usr/lib/systemd/system', join(root, 'usr/lib/systemd/system'), {
      recursive: true,
      verbatimSymlinks: true,
    });

    const verify = spawnSync(
      'systemd-analyze',
      ['verify', `--root=${root}`, '/etc/systemd/system/upkeep-agent.service'],
      { encoding: 'utf8' },
    );

    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
  });

  it('prints the steps and changes nothing with --dry-run', () => {
    const { bundle, agent } = inputs();

    const run = install('linux/install.sh', [
      ...['--bundle', bundle, '--agent', agent],
      ...['--node', process.execPath, '--dry-run'],
    ]);

    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      '+ chmod 0600 /etc/upkeep/bundle/private.pem.key',
    );
    expect(run.stdout).toContain('+ systemctl enable upkeep-agent.service');
    expect(run.stdout).toContain(
      '+ write /etc/systemd/system/upkeep-agent.service (mode 0644)',
    );
  });

  it('refuses an incomplete bundle before copying anything', () => {
    const { bundle, agent } = inputs();
    const root = scratch();
    rmSync(join(bundle, 'private.pem.key'));

    const run = install('linux/install.sh', [
      ...['--bundle', bundle, '--agent', agent],
      ...['--node', process.execPath, '--root', root],
    ]);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/lacks private\.pem\.key/);
    expect(existsSync(join(root, 'opt'))).toBe(false);
  });

  it('refuses a Node older than 22', () => {
    const { bundle, agent } = inputs();
    const node20 = scratch();
    const fake = join(node20, 'node');
    // A node that says it is 20, as the system node of many hosts is.
    writeFileSync(fake, '#!/bin/sh\necho v20.19.0; exit 1\n', { mode: 0o755 });

    const run = install('linux/install.sh', [
      ...['--bundle', bundle, '--agent', agent, '--node', fake],
      ...['--root', scratch()],
    ]);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/is Node v20\.19\.0; the agent needs 22/);
  });
});

describe('macos/install.sh', () => {
  it('installs a launchd daemon that starts the agent with the bundle', () => {
    const { bundle, agent } = inputs();
    const root = scratch();

    const run = install('macos/install.sh', [
      ...['--bundle', bundle, '--agent', agent],
      ...['--node', process.execPath, '--root', root],
    ]);

    expect(run.status).toBe(0);
    const support = join(root, 'Library/Application Support/Upkeep');
    expect(mode(join(support, 'bundle/private.pem.key'))).toBe(0o600);
    expect(mode(join(support, 'state'))).toBe(0o700);
    const plist = readPlist(
      readFileSync(
        join(root, 'Library/LaunchDaemons/com.upkeep.agent.plist'),
        'utf8',
      ),
    );
    expect(plist).toEqual({
      Label: 'com.upkeep.agent',
      ProgramArguments: [
        '/usr/local/upkeep/agent/upkeep-agent',
        '--bundle',
        '/Library/Application Support/Upkeep/bundle',
        '--state',
        '/Library/Application Support/Upkeep/state',
      ],
      EnvironmentVariables: { UPKEEP_NODE: process.execPath },
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ThrottleInterval: 30,
      ProcessType: 'Background',
      Umask: 0o077,
      StandardErrorPath: '/Library/Logs/Upkeep/agent.log',
    });
  });
});

describe('windows/install.ps1', () => {
  // PowerShell and Task Scheduler do not run here: these checks hold the
  // script to the bundle format and the task settings docs/enrolment.md
  // promises.
  const script = readFileSync(join(here, 'windows/install.ps1'), 'utf8');

  it('expects exactly the files an install bundle has', () => {
    const listed = /\$BundleFiles = @\(([^)]*)\)/.exec(script)?.[1] ?? '';

    expect(listed.match(/'[^']+'/g)?.map((f) => f.slice(1, -1))).toEqual(
      Object.values(BUNDLE_FILES),
    );
  });

  it('runs the task as SYSTEM at startup, one instance, without a time limit', () => {
    expect(script).toMatch(/-UserId 'S-1-5-18' -LogonType ServiceAccount/);
    expect(script).toMatch(/New-ScheduledTaskTrigger -AtStartup/);
    expect(script).toMatch(/-MultipleInstances IgnoreNew/);
    expect(script).toMatch(/-ExecutionTimeLimit \(\[TimeSpan\]::Zero\)/);
    expect(script).toMatch(/-RepetitionInterval \(New-TimeSpan -Minutes 5\)/);
  });

  it('has balanced braces and parentheses', () => {
    const count = (c: string) => script.split(c).length - 1;

    expect(count('{')).toBe(count('}'));
    expect(count('(')).toBe(count(')'));
  });
});

describe('shell syntax', () => {
  it('parses every install script with sh -n', () => {
    for (const file of [
      'linux/install.sh',
      'macos/install.sh',
      'unix-common.sh',
    ]) {
      expect(() => execFileSync('sh', ['-n', join(here, file)])).not.toThrow();
    }
  });
});

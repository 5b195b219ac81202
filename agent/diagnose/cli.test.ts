import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCase } from '../test-support/cases.js';
import { type DiagnoseIo, runDiagnoseCommand } from './cli.js';
import { readInputFile } from './input.js';

const dir = mkdtempSync(join(tmpdir(), 'upkeep-diagnose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer) {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Runs the command with its real input reader, capturing the streams. */
async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Partial<DiagnoseIo> = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    now: () => new Date('2024-06-05T00:00:00Z'),
  };
  const code = await runDiagnoseCommand(argv, {
    readFile: readInputFile,
    ...io,
  } as DiagnoseIo);
  return { code, stdout, stderr };
}

describe('runDiagnoseCommand', () => {
  it('prints the judgement of a recorded file as JSON and exits 0', async () => {
    const path = file('cbs.txt', readCase('wu-0x80073712-cbs.txt'));

    const { code, stdout } = await run([path]);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      kind: 'windows-update',
      verdict: 'critical',
      findings: [{ code: 'wu.component-store-corrupt', hresult: '0x80073712' }],
      remedies: [
        { code: 'wu.component-store-corrupt', product: 'windows-update' },
      ],
    });
  });

  it('takes the kind from --kind in both spellings', async () => {
    const path = file('mp.txt', readCase('av-mpstatus-stale-610d.txt'));

    const spaced = await run(['--kind', 'antivirus', path]);
    const joined = await run([`--kind=antivirus`, path]);

    expect(JSON.parse(spaced.stdout).verdict).toBe('critical');
    expect(JSON.parse(joined.stdout).verdict).toBe('critical');
  });

  it('exits 2 when --kind names a kind the input does not parse as', async () => {
    const path = file('mp2.txt', readCase('av-mpstatus-stale-610d.txt'));

    const wrong = await run(['--kind', 'smart', path]);

    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toMatch(
      /the input does not parse as smart output; it looks like antivirus/,
    );
  });

  it('exits 2 for smartctl JSON judged as antivirus', async () => {
    const path = file('smart.json', readCase('smart-ata-udma-crc-cable.json'));

    const wrong = await run(['--kind', 'antivirus', path]);

    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/does not parse as antivirus output/);
  });

  it('reads Windows PowerShell UTF-16 output', async () => {
    const text = readCase('av-mpstatus-kaspersky-defender-not-running.txt');
    const bom = Buffer.from([0xff, 0xfe]);
    const path = file(
      'utf16.txt',
      Buffer.concat([bom, Buffer.from(text, 'utf16le')]),
    );

    const { code, stdout } = await run([path]);

    expect(code).toBe(0);
    expect(JSON.parse(stdout).findings[0].code).toBe('av.defender-inactive');
  });

  it.each([
    ['a missing file', () => join(dir, 'absent.txt'), /cannot read .*ENOENT/],
    ['an empty file', () => file('empty.txt', '\n \n'), /empty/],
    [
      'a binary file',
      () => file('bin.dat', Buffer.from([1, 0, 2, 0, 0, 0, 7])),
      /binary/,
    ],
    ['a folder', () => dir, /is a directory, not a file or a pipe/],
    [
      'an undetectable text',
      () => file('junction.txt', readCase('cleanup-temp-junction.txt')),
      /--kind/,
    ],
  ])('exits 2 with a message on %s', async (_label, make, message) => {
    const { code, stdout, stderr } = await run([make()]);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('names a file of annotations only as having no output lines', async () => {
    const notes = file('notes.txt', '### df -h on HOST-REDACTED\n### cut\n');

    const { code, stderr } = await run([notes]);

    expect(code).toBe(2);
    expect(stderr).toMatch(/only `### ` annotation lines and no output lines/);
  });

  it('turns an internal error into one line naming the input, exit 2', async () => {
    const path = file('crc2.json', readCase('smart-ata-udma-crc-cable.json'));
    let stderr = '';
    const io = (debug: boolean): DiagnoseIo => ({
      stdout: () => {},
      stderr: (t) => {
        stderr += t;
      },
      readFile: async (p) => readFileSync(p),
      now: () => {
        throw new TypeError('clock unavailable');
      },
      debug,
    });

    const quiet = await runDiagnoseCommand([path], io(false));
    const quietErr = stderr;
    stderr = '';
    const verbose = await runDiagnoseCommand([path], io(true));

    expect([quiet, verbose]).toEqual([2, 2]);
    expect(quietErr).toBe(
      `upkeep diagnose: internal error while judging ${path}: clock unavailable\n`,
    );
    expect(stderr).toContain('TypeError: clock unavailable\n    at ');
  });

  it('exits 2 with the usage on a bad kind or a missing file argument', async () => {
    const bad = await run(['--kind', 'printer', file('x.txt', 'x')]);
    const none = await run([]);

    expect([bad.code, none.code]).toEqual([2, 2]);
    expect(bad.stderr).toContain("got 'printer'");
    expect(none.stderr).toContain('Usage: upkeep diagnose FILE|- [--kind');
    expect(none.stderr).toContain('- or /dev/stdin reads standard input');
  });

  it('answers through the upkeep dispatcher in a real process', () => {
    const path = file('crc.json', readCase('smart-ata-udma-crc-cable.json'));
    const script =
      "const { main } = await import('./cli/main.ts');" +
      `process.exitCode = await main(['diagnose', ${JSON.stringify(path)}]);`;

    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', script],
      { encoding: 'utf8', timeout: 20_000 },
    );

    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toMatchObject({
      kind: 'smart',
      verdict: 'warning',
      findings: [{ code: 'smart.crc-errors' }],
    });
  });
});

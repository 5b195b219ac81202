import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../core/index.js';
import { silentLogger } from '../logger.js';
import { dismRestoreHealth } from './dism-restore-health.js';
import { type Answer, fakeRunner, sentScript } from './fake-runner.js';
import { resetWuComponents } from './reset-wu-components.js';
import { sfcScannow } from './sfc-scannow.js';
import { startService } from './start-service.js';
import type { RemedyContext } from './types.js';
import { updateAvSignatures } from './update-av-signatures.js';

/**
 * Oracle: the scripts are what Windows would run, so each test writes the
 * expected script out in full rather than rebuilding it with the code
 * under test. Outputs are the JSON line each script prints (written, not
 * captured: PowerShell cannot run here).
 */
function windows(answers: Answer[] = []) {
  const fake = fakeRunner(answers);
  const ctx: RemedyContext = {
    platform: 'win32',
    run: fake.run,
    logger: silentLogger,
    now: () => new Date('2026-03-02T10:00:00Z'),
    policy: DEFAULT_POLICY,
    checks: [],
    timeoutMs: 1_800_000,
  };
  return { ctx, calls: fake.calls };
}

const CATCH = [
  '} catch {',
  '  [pscustomobject]@{',
  '    ok = $false',
  '    message = $_.Exception.Message',
  '    hresult = $_.Exception.HResult',
  '  } | ConvertTo-Json -Compress',
  '}',
];

function wrapped(lines: string[]) {
  return sentScript([
    "$ErrorActionPreference = 'Stop'",
    'try {',
    ...lines.map((l) => `  ${l}`),
    ...CATCH,
  ]);
}

describe('Windows remedies', () => {
  it('updates Defender signatures with Update-MpSignature', async () => {
    const { ctx, calls } = windows([
      {
        stdout:
          '{"ok":true,"signatureVersion":"1.445.123.0","signatureAgeDays":0}\r\n',
      },
    ]);

    const outcome = await updateAvSignatures.run(ctx, { product: 'defender' });

    expect(calls).toHaveLength(1);
    expect(calls[0]?.command).toBe('powershell.exe');
    expect(calls[0]?.timeoutMs).toBe(1_800_000);
    expect(calls[0]?.script).toBe(
      wrapped([
        'Update-MpSignature',
        '$status = Get-MpComputerStatus',
        '[pscustomobject]@{',
        '  ok = $true',
        '  signatureVersion = $status.AntivirusSignatureVersion',
        '  signatureAgeDays = $status.AntivirusSignatureAge',
        '} | ConvertTo-Json -Compress',
      ]),
    );
    expect(outcome).toEqual({
      ok: true,
      summary: 'defender updater finished',
      details: { signatureVersion: '1.445.123.0', signatureAgeDays: 0 },
    });
  });

  it("runs Sophos's own updater from where its installer puts it", async () => {
    const { ctx, calls } = windows([
      { stdout: '{"ok":false,"message":"updater not found"}' },
    ]);

    const outcome = await updateAvSignatures.run(ctx, { product: 'sophos' });

    expect(calls[0]?.script).toBe(
      wrapped([
        '$candidates = @(',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: PowerShell
        '  "${env:ProgramFiles(x86)}\\Sophos\\AutoUpdate\\SophosUpdate.exe",',
        '  "$env:ProgramFiles\\Sophos\\AutoUpdate\\SophosUpdate.exe"',
        ')',
        '$exe = $candidates |',
        '  Where-Object { Test-Path -LiteralPath $_ } |',
        '  Select-Object -First 1',
        'if (-not $exe) {',
        "  [pscustomobject]@{ ok = $false; message = 'updater not found' } |",
        '    ConvertTo-Json -Compress',
        '  return',
        '}',
        '$out = @(& $exe)',
        '$code = $LASTEXITCODE',
        "$tail = (($out | Select-Object -Last 3) -join ' ') -replace \"`0\", ''",
        '[pscustomobject]@{',
        '  ok = ($code -eq 0)',
        '  exitCode = $code',
        '  updater = $exe',
        '  tail = $tail',
        '} | ConvertTo-Json -Compress',
      ]),
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.summary).toBe('sophos updater failed: updater not found');
  });

  it('passes each vendor its own update arguments as literals', async () => {
    const { ctx, calls } = windows();

    const products = ['eset', 'kaspersky', 'bitdefender', 'webroot'] as const;
    for (const product of products) {
      await updateAvSignatures.run(ctx, { product });
    }

    const invocations = calls.map((c) =>
      c.script?.split('\n').find((l) => l.includes('$out = @(')),
    );
    expect(invocations).toEqual([
      "  $out = @(& $exe 'start' 'update')",
      "  $out = @(& $exe 'UPDATE')",
      "  $out = @(& $exe '/c' 'StartUpdate')",
      "  $out = @(& $exe '-poll')",
    ]);
  });

  it('refuses Trend Micro, whose agent has no command-line update', () => {
    const refusal = updateAvSignatures.refuse?.(
      { product: 'trend-micro' },
      'win32',
    );

    expect(refusal?.reason).toBe('not-implemented');
  });

  it('starts a service, restoring a Disabled start type first', async () => {
    const { ctx, calls } = windows([
      {
        stdout:
          '{"ok":true,"status":"Running","startType":"Manual",' +
          '"startTypeBefore":"Disabled"}',
      },
    ]);

    const outcome = await startService.run(ctx, { service: 'wuauserv' });

    expect(calls[0]?.script).toBe(
      wrapped([
        "$before = (Get-Service -Name 'wuauserv').StartType",
        "if ($before -eq 'Disabled') {",
        "  Set-Service -Name 'wuauserv' -StartupType Manual",
        '}',
        "Start-Service -Name 'wuauserv'",
        "$svc = Get-Service -Name 'wuauserv'",
        '[pscustomobject]@{',
        "  ok = ($svc.Status -eq 'Running')",
        '  status = [string]$svc.Status',
        '  startType = [string]$svc.StartType',
        '  startTypeBefore = [string]$before',
        '} | ConvertTo-Json -Compress',
      ]),
    );
    expect(outcome.summary).toBe('wuauserv is running (start type Manual)');
    expect(outcome.details).toMatchObject({ startTypeBefore: 'Disabled' });
  });

  it('reports a service that throws on start as failed, with the reason', async () => {
    const { ctx } = windows([
      {
        stdout:
          '{"ok":false,"message":"Service \'Windows Update (wuauserv)\' ' +
          'cannot be started due to the following error: Cannot start ' +
          'service wuauserv on computer \'.\'.","hresult":-2146233087}',
      },
    ]);

    const outcome = await startService.run(ctx, { service: 'wuauserv' });

    expect(outcome.ok).toBe(false);
    expect(outcome.summary).toMatch(/^wuauserv did not start: Service/);
    expect(outcome.details?.hresult).toBe(-2146233087);
  });

  it('resets the update components, starting the services in finally', async () => {
    const { ctx, calls } = windows([
      {
        stdout:
          '{"ok":true,"renamed":"SoftwareDistribution.upkeep-20260302100000, ' +
          'catroot2.upkeep-20260302100000"}',
      },
    ]);

    const outcome = await resetWuComponents.run(ctx, {});

    expect(calls[0]?.script).toBe(
      wrapped([
        "$services = @('wuauserv', 'bits', 'cryptsvc')",
        "$stamp = Get-Date -Format 'yyyyMMddHHmmss'",
        '$folders = @(',
        '  "$env:SystemRoot\\SoftwareDistribution",',
        '  "$env:SystemRoot\\System32\\catroot2"',
        ')',
        '$renamed = @()',
        'Stop-Service -Name $services -Force',
        'try {',
        '  foreach ($folder in $folders) {',
        '    if (-not (Test-Path -LiteralPath $folder)) { continue }',
        '    $name = "$(Split-Path -Leaf $folder).upkeep-$stamp"',
        '    Rename-Item -LiteralPath $folder -NewName $name',
        '    $renamed += $name',
        '  }',
        '} finally {',
        '  Start-Service -Name $services',
        '}',
        '[pscustomobject]@{',
        '  ok = $true',
        "  renamed = ($renamed -join ', ')",
        '} | ConvertTo-Json -Compress',
      ]),
    );
    expect(outcome.ok).toBe(true);
    expect(resetWuComponents.idempotent).toBe(false);
  });

  it('runs DISM RestoreHealth and counts 3010 as done with a restart due', async () => {
    const { ctx, calls } = windows([
      {
        stdout:
          '{"ok":true,"exitCode":3010,"rebootRequired":true,' +
          '"tail":"The restore operation completed successfully. ' +
          'The operation completed successfully."}',
      },
    ]);

    const outcome = await dismRestoreHealth.run(ctx, {});

    expect(calls[0]?.script).toBe(
      wrapped([
        '$out = @(& "$env:SystemRoot\\System32\\Dism.exe" /Online ' +
          '/Cleanup-Image /RestoreHealth /NoRestart)',
        '$code = $LASTEXITCODE',
        "$tail = (($out | Select-Object -Last 3) -join ' ') -replace \"`0\", ''",
        '[pscustomobject]@{',
        '  ok = (@(0, 3010) -contains $code)',
        '  exitCode = $code',
        '  rebootRequired = ($code -eq 3010)',
        '  tail = $tail',
        '} | ConvertTo-Json -Compress',
      ]),
    );
    expect(outcome.summary).toBe('component store repaired (DISM exit 3010)');
    expect(outcome.details?.rebootRequired).toBe(true);
  });

  it('repairs from a mounted image of the same build, without Windows Update', async () => {
    const { ctx, calls } = windows([
      {
        stdout:
          '{"ok":false,"message":"no mounted install image matches build 22631"}',
      },
    ]);

    const outcome = await dismRestoreHealth.run(ctx, {
      source: 'matching-build-iso',
    });

    const script = calls[0]?.script ?? '';
    expect(script).toContain(
      '  $out = @(& "$env:SystemRoot\\System32\\Dism.exe" /Online ' +
        '/Cleanup-Image /RestoreHealth /NoRestart "/Source:$source" ' +
        '/LimitAccess)',
    );
    expect(script).toContain(
      "        if ($info.Version.Split('.')[2] -ne $build) { continue }",
    );
    expect(script).toContain(
      '      source = "$($kind):$($path):$($image.ImageIndex)"',
    );
    expect(outcome).toMatchObject({
      ok: false,
      summary:
        'DISM RestoreHealth failed: no mounted install image matches build 22631',
    });
  });

  it('runs sfc /scannow and reads its UTF-16 tail', async () => {
    const { ctx, calls } = windows([
      {
        stdout:
          '{"ok":true,"exitCode":0,"tail":"Windows Resource Protection did ' +
          'not find any integrity violations."}',
      },
    ]);

    const outcome = await sfcScannow.run(ctx, {});

    expect(calls[0]?.script).toBe(
      wrapped([
        '$out = @(& "$env:SystemRoot\\System32\\sfc.exe" /scannow)',
        '$code = $LASTEXITCODE',
        "$tail = (($out | Select-Object -Last 2) -join ' ') -replace \"`0\", ''",
        '[pscustomobject]@{',
        '  ok = ($code -eq 0)',
        '  exitCode = $code',
        '  tail = $tail',
        '} | ConvertTo-Json -Compress',
      ]),
    );
    expect(outcome.ok).toBe(true);
  });

  it('turns a PowerShell timeout into a failed outcome, not a throw', async () => {
    const { ctx } = windows([{ exitCode: null, timedOut: true }]);

    const outcome = await sfcScannow.run(ctx, {});

    expect(outcome).toMatchObject({
      ok: false,
      summary: 'PowerShell timed out',
      details: { error: 'probe-timeout', timeoutMs: 1_800_000 },
    });
  });

  it('fails an outcome whose script printed no JSON', async () => {
    const { ctx } = windows([{ stdout: 'Access is denied.\r\n' }]);

    const outcome = await sfcScannow.run(ctx, {});

    expect(outcome.ok).toBe(false);
    expect(outcome.details).toMatchObject({ error: 'output-unparsed' });
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, findingSchema } from '../../../core/index.js';
import { silentLogger } from '../../logger.js';
import {
  type CommandResult,
  type CommandRunner,
  runCommand,
} from '../../platform/command.js';
import { decodePowershellArgs } from '../../platform/windows/powershell.js';
import { readCase, withoutNotes } from '../../test-support/cases.js';
import type { CheckContext } from '../types.js';
import { createWindowsAntivirusCheck } from './probe-windows.js';
import { VENDOR_SIGNATURE_SOURCES } from './vendor-signatures.js';
import {
  MP_STATUS_SCRIPT,
  SECURITY_CENTER_SCRIPT,
  vendorSignatureScript,
} from './windows-scripts.js';

type Script = 'mp' | 'sc' | 'vendor';

/**
 * PowerShell cannot run here: the fake runner is the OS boundary. It
 * answers each script with what a recorded case printed for that command.
 */
function recordedRunner(
  answers: Partial<Record<Script, string>>,
  calls: Script[] = [],
): CommandRunner {
  return async (command, args) => {
    const script = decodePowershellArgs(args);
    const key: Script = script.includes('Get-MpComputerStatus')
      ? 'mp'
      : script.includes('SecurityCenter2')
        ? 'sc'
        : 'vendor';
    calls.push(key);
    const result: CommandResult = {
      command,
      args,
      exitCode: 0,
      stdout: answers[key] ?? '',
      stderr: '',
      timedOut: false,
    };
    return result;
  };
}

/** The output under each `C:\...>` prompt of a recorded session. */
function sessionOutputs(text: string) {
  const outputs = new Map<string, string>();
  let command = '';
  for (const line of withoutNotes(text).split(/\r?\n/)) {
    const prompt = /^(?:PS )?[A-Z]:\\[^>]*>\s*(.*)$/.exec(line);
    if (prompt) {
      command = prompt[1] ?? '';
      outputs.set(command, '');
    } else if (command) {
      outputs.set(command, `${outputs.get(command)}${line}\n`);
    }
  }
  return outputs;
}

function outputOf(text: string, commandPart: string) {
  for (const [command, output] of sessionOutputs(text)) {
    if (command.includes(commandPart)) return output;
  }
  throw new Error(`no recorded output of ${commandPart}`);
}

function context(run: CommandRunner): CheckContext {
  return {
    now: () => new Date('2026-03-02T10:00:00Z'),
    policy: DEFAULT_POLICY,
    platform: 'win32',
    run,
    logger: silentLogger,
    trigger: 'on-demand',
  };
}

const codes = (findings: { code: string }[]) => findings.map((f) => f.code);

/**
 * Get-MpComputerStatus on a machine whose third-party product disabled
 * the WinDefend service: written in the error shape MP_STATUS_SCRIPT
 * prints, with the HRESULT Windows gives for a disabled service.
 */
const MP_SERVICE_DISABLED = JSON.stringify({
  Error:
    'The service cannot be started, either because it is disabled or ' +
    'because it has no enabled devices associated with it.',
  ErrorId: 'HRESULT 0x80070422,Get-MpComputerStatus',
});

describe('createWindowsAntivirusCheck on recorded cases', () => {
  it('finds 610-day-old Defender signatures on a server without SecurityCenter2', async () => {
    const text = readCase('av-mpstatus-stale-610d.txt');
    const run = recordedRunner({
      mp: outputOf(text, 'MSFT_MpComputerStatus'),
      sc: outputOf(text, 'root\\SecurityCenter2'),
      vendor: '[]',
    });

    const result = await createWindowsAntivirusCheck().run(context(run));

    expect(result.verdict).toBe('critical');
    expect(result.findings[0]).toMatchObject({
      code: 'av.definitions-stale',
      severity: 'critical',
    });
    expect(codes(result.findings)).toContain('av.securitycenter-missing');
    expect(codes(result.findings)).not.toContain('av.product-missing');
    expect(result.data).toMatchObject({
      securityCenter: 'missing',
      defender: { mode: 'normal', productVersion: '4.18.2104.5' },
      securityProducts: [{ name: 'Microsoft Defender Antivirus' }],
    });
  });

  it('takes protection from Kaspersky when Defender is not running', async () => {
    const text = readCase('av-mpstatus-kaspersky-defender-not-running.txt');
    // The case records Defender only. Kaspersky's SecurityCenter2 entry is
    // written in SECURITY_CENTER_SCRIPT's shape: scanner on, current.
    const kaspersky = JSON.stringify([
      {
        displayName: 'Kaspersky Standard',
        pathToSignedProductExe:
          'C:\\Program Files (x86)\\Kaspersky Lab\\avp.exe',
        productState: 266240,
        installed: true,
      },
    ]);
    const run = recordedRunner({
      mp: outputOf(text, 'MSFT_MpComputerStatus'),
      sc: kaspersky,
      vendor: '[]',
    });

    const result = await createWindowsAntivirusCheck().run(context(run));

    expect(result.verdict).toBe('info');
    expect(codes(result.findings)).toEqual(['av.defender-inactive']);
    expect(result.data).toMatchObject({
      defender: { mode: 'not-running', signatureAgeDays: 'never' },
      securityProducts: [{ name: 'Kaspersky Standard', kind: 'antivirus' }],
    });
  });

  it('accepts Bitdefender on and Defender off as protected', async () => {
    const calls: Script[] = [];
    const run = recordedRunner(
      {
        mp: MP_SERVICE_DISABLED,
        sc: withoutNotes(readCase('av-productstate-bitdefender-defender.txt')),
        vendor: '[]',
      },
      calls,
    );

    const result = await createWindowsAntivirusCheck().run(context(run));

    expect(result.verdict).toBe('ok');
    expect(result.findings).toEqual([]);
    expect(calls).toEqual(['mp', 'sc', 'vendor']);
    expect(result.data).toMatchObject({
      securityCenter: 'present',
      defender: null,
      defenderError: expect.stringContaining('0x80070422'),
      products: [
        { name: 'Bitdefender Antivirus', scannerOn: true },
        { name: 'Windows Defender', scannerOn: false },
      ],
    });
  });
});

describe('createWindowsAntivirusCheck, vendor timestamps and stale entries', () => {
  const eset = JSON.stringify([
    {
      displayName: 'ESET Security',
      productState: 266240,
      installed: true,
    },
  ]);

  it("trusts ESET's own signature date over productState", async () => {
    const run = recordedRunner({
      mp: MP_SERVICE_DISABLED,
      sc: eset,
      // ScannerVersion as ESET writes it: build, then the date in brackets.
      vendor: JSON.stringify([{ Product: 'eset', Value: '24246 (20211105)' }]),
    });

    const result = await createWindowsAntivirusCheck().run(context(run));

    expect(result.verdict).toBe('critical');
    expect(result.findings[0]).toMatchObject({
      code: 'av.definitions-stale',
      subject: 'ESET Security',
      detail: { product: 'eset', source: expect.stringContaining('ESET') },
    });
    expect(result.data).toMatchObject({
      vendorSignatures: [
        { product: 'eset', updatedAt: '2021-11-05T00:00:00.000Z' },
      ],
    });
  });

  it('ignores the entry of a product whose executable is gone', async () => {
    const calls: Script[] = [];
    const stale = withoutNotes(
      readCase('av-productstate-bitdefender-defender.txt'),
    )
      .replace('productState             : 393472', 'productState : 397568')
      .replace(
        'PSComputerName           :\n',
        'PSComputerName           :\ninstalled : False\n',
      );
    const run = recordedRunner({ mp: MP_SERVICE_DISABLED, sc: stale }, calls);

    const result = await createWindowsAntivirusCheck().run(context(run));

    expect(codes(result.findings)).not.toContain('av.multiple-active');
    expect(result.verdict).toBe('ok');
    expect(calls).toEqual(['mp', 'sc']);
    expect(result.data.securityProducts).toEqual([
      { name: 'Windows Defender', kind: 'antivirus' },
    ]);
  });

  it('says unknown, not ok, when PowerShell cannot run at all', async () => {
    // A real process: there is no powershell.exe on this machine.
    const result = await createWindowsAntivirusCheck().run(context(runCommand));

    expect(result.verdict).toBe('unknown');
    expect(codes(result.findings)).toEqual([
      'agent.probe-failed',
      'agent.probe-failed',
    ]);
    for (const f of result.findings) findingSchema.parse(f);
  });
});

describe('the Windows antivirus scripts', () => {
  it('query Defender and SecurityCenter2 as JSON', () => {
    expect(MP_STATUS_SCRIPT).toMatch(
      /Get-MpComputerStatus[\s\S]*ConvertTo-Json/,
    );
    expect(SECURITY_CENTER_SCRIPT).toContain('-Namespace root/SecurityCenter2');
    expect(SECURITY_CENTER_SCRIPT).toContain('-ClassName AntiVirusProduct');
  });

  it('read every vendor source that names a value', () => {
    const script = vendorSignatureScript();
    const readable = VENDOR_SIGNATURE_SOURCES.filter(
      (s) => s.valueName && s.product !== 'defender',
    );

    for (const source of readable) {
      expect(script).toContain(`Add-Found '${source.product}'`);
    }
    expect(script).toContain(
      'HKLM:\\SOFTWARE\\WOW6432Node\\KasperskyLab\\protected\\*\\Data',
    );
  });
});

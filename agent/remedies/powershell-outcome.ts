import * as z from 'zod';
import { ProbeError } from '../errors.js';
import { runPowerShell } from '../platform/windows/powershell.js';
import type { RemedyContext, RemedyOutcome } from './types.js';

/**
 * Windows remedies are PowerShell scripts that print one JSON object:
 * `ok` plus a few short facts (exit code, last lines of output). A script
 * body runs under `$ErrorActionPreference = 'Stop'` inside try/catch, so a
 * cmdlet that throws prints `{ ok: false, message, hresult }` instead of a
 * stack trace, and the agent reads every outcome the same way.
 */
export function remedyScript(body: string): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    'try {',
    ...body.split('\n').map((line) => (line ? `  ${line}` : line)),
    '} catch {',
    '  [pscustomobject]@{',
    '    ok = $false',
    '    message = $_.Exception.Message',
    '    hresult = $_.Exception.HResult',
    '  } | ConvertTo-Json -Compress',
    '}',
  ].join('\n');
}

/** A PowerShell single-quoted literal: no expansion, `'` doubled. */
export function psQuote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Lines that run a native program and keep its exit code and the last
 * lines it printed in `$code` and `$tail`. DISM and sfc print progress
 * bars; only the end says how it went. sfc writes UTF-16, which arrives
 * with NUL characters between the letters: they are dropped.
 */
export function nativeCall(invocation: string, tailLines = 3): string {
  return [
    `$out = @(${invocation})`,
    '$code = $LASTEXITCODE',
    `$tail = (($out | Select-Object -Last ${tailLines}) -join ' ')` +
      ' -replace "`0", \'\'',
  ].join('\n');
}

const outcomeSchema = z
  .object({
    ok: z.boolean(),
    message: z.string().nullish(),
  })
  .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()]));

/** Runs a remedy script and reads its JSON line; never throws. */
export async function runRemedyScript(
  ctx: RemedyContext,
  script: string,
  describe: (fields: ScriptFields) => string,
): Promise<RemedyOutcome> {
  let stdout: string;
  try {
    stdout = await runPowerShell(ctx.run, script, {
      timeoutMs: ctx.timeoutMs,
    });
  } catch (error) {
    return failedToRun(error);
  }

  const fields = parseLastJsonLine(stdout);
  if (!fields) {
    return {
      ok: false,
      summary: 'the remedy script printed no result',
      details: { error: 'output-unparsed', output: stdout.slice(-300) },
    };
  }
  return {
    ok: fields.ok,
    summary: describe(fields),
    details: detailsOf(fields),
  };
}

export type ScriptFields = z.infer<typeof outcomeSchema>;

function parseLastJsonLine(stdout: string): ScriptFields | undefined {
  const lines = stdout.split(/\r?\n/).filter((l) => l.trim().startsWith('{'));
  const last = lines.at(-1);
  if (!last) return undefined;
  try {
    const parsed = outcomeSchema.safeParse(JSON.parse(last));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function detailsOf(fields: ScriptFields) {
  const details: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'ok' || value === null || value === undefined) continue;
    details[key] = value;
  }
  return details;
}

function failedToRun(error: unknown): RemedyOutcome {
  if (error instanceof ProbeError) {
    return {
      ok: false,
      summary: error.message,
      details: { error: error.code, ...flatDetail(error.detail) },
    };
  }
  return { ok: false, summary: String((error as Error)?.message ?? error) };
}

function flatDetail(detail: Record<string, unknown>) {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(detail)) {
    if (['string', 'number', 'boolean'].includes(typeof value)) {
      out[key] = value as string | number | boolean;
    }
  }
  return out;
}

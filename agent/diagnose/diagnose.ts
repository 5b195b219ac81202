import { DEFAULT_POLICY, type Policy, type Verdict } from '../../core/index.js';
import type { SmartBaseline } from '../checks/smart/index.js';
import { type DiagnoseKind, detectKind } from './detect-kind.js';
import { DIAGNOSE_ERROR_CODES, DiagnoseError } from './errors.js';
import { withoutAnnotations } from './input.js';
import { JUDGES } from './judges.js';
import { type RemedyPlan, remediesFor } from './remedies.js';

export interface DiagnoseFinding {
  code: string;
  severity: 'info' | 'warning' | 'critical';
  title: string;
  /** `0x` plus 8 upper-case hex digits, for Windows codes. */
  hresult?: string;
  subject: string;
  detail?: Record<string, unknown>;
}

export interface DiagnoseResult {
  kind: DiagnoseKind;
  verdict: Verdict;
  /** Root cause first. */
  findings: DiagnoseFinding[];
  remedies: RemedyPlan[];
}

export interface DiagnoseOptions {
  /**
   * The clock ages are judged against. It is the only input that is not
   * in the text; pass it for a reproducible result. @default new Date()
   */
  now?: Date;
  /** @default DEFAULT_POLICY */
  policy?: Policy;
  /** SMART counters of an earlier run, to judge growth. */
  baseline?: SmartBaseline;
}

/** Nothing but "output unparsed": the judge understood none of it. */
function parsesNothing(judged: {
  verdict: string;
  findings: readonly { code: string }[];
}) {
  return (
    judged.verdict === 'unknown' &&
    judged.findings.length > 0 &&
    judged.findings.every((f) => f.code === 'agent.output-unparsed')
  );
}

/**
 * Judges one recorded output with the agent's own judges. Throws a
 * DiagnoseError when the text is empty, its kind cannot be told, or the
 * `kind` given does not parse it at all (a wrong --kind); detected output
 * that parses only in part yields its findings and maybe an `unknown`
 * verdict instead.
 */
export function diagnose(
  text: string,
  kind?: DiagnoseKind,
  options: DiagnoseOptions = {},
): DiagnoseResult {
  const clean = withoutAnnotations(text);
  if (clean.trim() === '') {
    const annotated = text.trim() !== '';
    throw new DiagnoseError(
      DIAGNOSE_ERROR_CODES.unreadable,
      annotated
        ? 'the input has only `### ` annotation lines and no output lines'
        : 'the input is empty',
    );
  }

  const detected = kind ?? detectKind(clean);
  if (!detected) {
    throw new DiagnoseError(
      DIAGNOSE_ERROR_CODES.undetectable,
      'cannot tell what this output is; pass --kind ' +
        'smart|antivirus|disk|windows-update',
    );
  }

  const judged = JUDGES[detected](clean, {
    now: options.now ?? new Date(),
    policy: options.policy ?? DEFAULT_POLICY,
    ...(options.baseline ? { baseline: options.baseline } : {}),
  });
  // A given kind that understood none of it, on input that does not even
  // look like that kind: a wrong --kind, not a partial output.
  const guess = kind && parsesNothing(judged) ? detectKind(clean) : kind;
  if (guess !== kind) {
    throw new DiagnoseError(
      DIAGNOSE_ERROR_CODES.wrongKind,
      `the input does not parse as ${kind} output` +
        (guess ? `; it looks like ${guess}` : '') +
        '; check --kind, or leave it out to detect the kind',
    );
  }
  const findings = judged.findings.map(
    ({ code, severity, title, hresult, subject, detail }) => ({
      code,
      severity,
      title,
      ...(hresult ? { hresult } : {}),
      subject,
      ...(detail ? { detail } : {}),
    }),
  );
  return {
    kind: detected,
    verdict: judged.verdict,
    findings,
    remedies: remediesFor(judged.findings, detected),
  };
}

import type { Finding } from '../../../core/index.js';
import type { CommandResult } from '../../platform/command.js';

const STDERR_CHARS = 300;

/** The command and its exit status, as every probe finding carries them. */
export function commandDetail(result: CommandResult) {
  return {
    command: [result.command, ...result.args].join(' ').slice(0, 200),
    exitCode: result.exitCode,
    ...(result.stderr.trim()
      ? { stderr: result.stderr.trim().slice(0, STDERR_CHARS) }
      : {}),
  };
}

/**
 * A finding for a command that did not start or did not finish, or
 * undefined when it ran to an exit status (which the caller judges).
 */
export function commandFailure(
  result: CommandResult,
  subject: string,
): Finding | undefined {
  if (result.spawnError) {
    return {
      code: 'agent.probe-failed',
      severity: 'warning',
      subject,
      title: `${result.command} could not be started`,
      detail: { ...commandDetail(result), error: result.spawnError },
    };
  }
  if (result.timedOut) {
    return {
      code: 'agent.probe-timeout',
      severity: 'warning',
      subject,
      title: `${result.command} did not finish in time and was ended`,
      detail: commandDetail(result),
    };
  }
  return undefined;
}

/** Output of the wrong form: the check's result is unknown. */
export function unparsedFinding(
  result: CommandResult,
  subject: string,
  why: string,
): Finding {
  return {
    code: 'agent.output-unparsed',
    severity: 'warning',
    subject,
    title: `${result.command} output could not be read: ${why}`,
    detail: {
      ...commandDetail(result),
      stdoutStart: result.stdout.slice(0, STDERR_CHARS),
    },
  };
}

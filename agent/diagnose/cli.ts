import {
  DIAGNOSE_KINDS,
  type DiagnoseKind,
  isDiagnoseKind,
} from './detect-kind.js';
import { diagnose } from './diagnose.js';
import { DIAGNOSE_ERROR_CODES, DiagnoseError } from './errors.js';
import {
  cannotRead,
  decodeInput,
  MAX_INPUT_BYTES,
  readInputFile,
} from './input.js';

/** The command's seams: where output goes and how files are read. */
export interface DiagnoseIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * Reads FILE, `-` being standard input; a DiagnoseError it throws is
   * reported as it is. @default readInputFile (types, size limit)
   */
  readFile: (path: string) => Promise<Uint8Array>;
  now: () => Date;
  /** Print the stack of an internal error; defaults to `UPKEEP_DEBUG`. */
  debug?: boolean;
}

const defaultIo: DiagnoseIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: readInputFile,
  now: () => new Date(),
};

const USAGE = [
  `Usage: upkeep diagnose FILE|- [--kind ${DIAGNOSE_KINDS.join('|')}]`,
  '',
  'Judges one recorded output (smartctl JSON or text, Get-MpComputerStatus,',
  'a SecurityCenter2 dump, df or Windows volume listings, WindowsUpdate.log,',
  'CBS.log, DISM or a tool result) and prints the verdict, the findings',
  '(root cause first) and the remedy chains as JSON. Without --kind the kind',
  'is detected. FILE is a file or a pipe (a FIFO waits for its writer);',
  '- or /dev/stdin reads standard input: df -h | upkeep diagnose -.',
  'A folder, socket, block device or other character device is refused,',
  `and so is an input past ${MAX_INPUT_BYTES / 1024 / 1024} MiB.`,
  'Exit status: 0 judged, 2 unreadable or unknown input.',
].join('\n');

interface Args {
  file: string;
  kind?: DiagnoseKind;
}

/**
 * `upkeep diagnose FILE [--kind KIND]`: prints the JSON result and returns
 * 0, or explains on stderr and returns 2.
 */
export async function runDiagnoseCommand(
  argv: string[],
  io: DiagnoseIo = defaultIo,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }

  let file: string | undefined;
  try {
    const args = parseArgs(argv);
    file = args.file;
    const text = decodeInput(await readInput(args.file, io));
    const result = diagnose(text, args.kind, { now: io.now() });
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof DiagnoseError)) {
      io.stderr(internalErrorMessage(error, file, io.debug ?? debugFromEnv()));
      return 2;
    }
    const usage = error.code === DIAGNOSE_ERROR_CODES.usage ? `\n${USAGE}` : '';
    io.stderr(`upkeep diagnose: ${error.message}${usage}\n`);
    return 2;
  }
}

/** `UPKEEP_DEBUG=1` adds the stack of an internal error to its message. */
const debugFromEnv = () =>
  /^(1|true|yes)$/i.test(process.env.UPKEEP_DEBUG ?? '');

/**
 * A bug in a parser or judge: one line naming the input, never a stack
 * trace unless debugging was asked for.
 */
function internalErrorMessage(
  error: unknown,
  file: string | undefined,
  debug: boolean,
): string {
  const reason = error instanceof Error ? error.message : String(error);
  const input = file ? ` while judging ${file}` : '';
  const line = `upkeep diagnose: internal error${input}: ${reason}\n`;
  const stack = debug && error instanceof Error ? `${error.stack}\n` : '';
  return line + stack;
}

function parseArgs(argv: string[]): Args {
  const files: string[] = [];
  let kind: string | undefined;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--kind') kind = argv[++i] ?? '';
    else if (arg.startsWith('--kind=')) kind = arg.slice('--kind='.length);
    else if (arg.startsWith('-') && arg !== '-')
      throw usage(`unknown option ${arg}`);
    else files.push(arg);
  }

  if (files.length !== 1) throw usage('give exactly one FILE');
  if (kind !== undefined && !isDiagnoseKind(kind)) {
    throw usage(
      `--kind must be one of ${DIAGNOSE_KINDS.join(', ')}, got '${kind}'`,
    );
  }
  return { file: files[0] as string, ...(kind ? { kind } : {}) };
}

function usage(message: string) {
  return new DiagnoseError(DIAGNOSE_ERROR_CODES.usage, message);
}

async function readInput(path: string, io: DiagnoseIo): Promise<Uint8Array> {
  try {
    return await io.readFile(path);
  } catch (error) {
    if (error instanceof DiagnoseError) throw error;
    throw cannotRead(path, error);
  }
}

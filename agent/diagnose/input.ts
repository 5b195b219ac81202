import { fstatSync, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DIAGNOSE_ERROR_CODES, DiagnoseError } from './errors.js';

/**
 * The largest input read, bytes. A recorded output is far smaller (the
 * agent keeps 4 MiB of a command's output); past this reading stops, so
 * that `/dev/zero` or a runaway pipe cannot fill memory. @default 16 MiB
 */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** The argument that reads standard input. */
export const STDIN_ARGUMENT = '-';

/**
 * Reads one input of `upkeep diagnose`, at most MAX_INPUT_BYTES:
 * - `-` is standard input, whatever it is (pipe, socket, file, terminal);
 * - a regular file or a FIFO is read; a FIFO waits for its writer, as
 *   `cat` does;
 * - a character device only when it is this process's standard input (the
 *   same device and inode as descriptor 0), as `/dev/stdin` or
 *   `/proc/self/fd/0` name it;
 * - a directory, a socket, a block device and any other character device
 *   are refused.
 * The path is opened first and the open handle is judged (fstat), so that
 * what is read is what was judged. Known limitation: a device is opened
 * before it is refused, and opening a few acts (a serial port raises its
 * control lines); judging the path before the open would race with it.
 */
export async function readInputFile(path: string): Promise<Uint8Array> {
  if (path === STDIN_ARGUMENT) {
    return readBounded(process.stdin, 'standard input');
  }

  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return readUnopenable(path, error);
  }
  try {
    assertReadable(path, await handle.stat());
  } catch (error) {
    await handle.close();
    throw error;
  }
  // The stream closes the handle at its end and when it is destroyed.
  return readBounded(handle.createReadStream(), path);
}

/**
 * A socket cannot be opened by its path (ENXIO), not even through
 * `/dev/stdin` when standard input is one, as Node gives the processes it
 * starts: that one is read from the descriptor; any other path that
 * cannot be opened is named by its type, or by the error.
 */
async function readUnopenable(path: string, error: unknown) {
  const stats = await stat(path).catch(() => undefined);
  if (stats?.isSocket() && isStandardInput(stats)) {
    return readBounded(process.stdin, path);
  }
  if (stats) assertReadable(path, stats);
  throw cannotRead(path, error);
}

function assertReadable(path: string, stats: Stats) {
  if (stats.isFile() || stats.isFIFO()) return;
  if (stats.isCharacterDevice() && isStandardInput(stats)) return;
  throw new DiagnoseError(
    DIAGNOSE_ERROR_CODES.unreadable,
    `${path} is ${fileTypeOf(stats)}, not a file or a pipe; give the ` +
      `recorded output, or ${STDIN_ARGUMENT} for standard input`,
  );
}

/** Descriptor 0 names the same file: the same device and inode. */
function isStandardInput(stats: Stats) {
  try {
    const own = fstatSync(0);
    return own.dev === stats.dev && own.ino === stats.ino;
  } catch {
    return false; // No standard input at all (descriptor 0 closed).
  }
}

/** Collects a stream, destroying it once past MAX_INPUT_BYTES. */
async function readBounded(stream: Readable, name: string) {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Leaving the loop by a throw destroys the stream: reading stops.
      if (size > MAX_INPUT_BYTES) throw tooLarge(name);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof DiagnoseError) throw error;
    throw cannotRead(name, error);
  }
  return Buffer.concat(chunks, size);
}

function tooLarge(name: string) {
  const mib = MAX_INPUT_BYTES / 1024 / 1024;
  return new DiagnoseError(
    DIAGNOSE_ERROR_CODES.unreadable,
    `${name} holds more than ${mib} MiB, more than a recorded output; ` +
      'give the part to judge',
  );
}

/** `cannot read PATH (ENOENT)`: the file system's code, or `read error`. */
export function cannotRead(path: string, error: unknown): DiagnoseError {
  const reason = (error as NodeJS.ErrnoException).code ?? 'read error';
  return new DiagnoseError(
    DIAGNOSE_ERROR_CODES.unreadable,
    `cannot read ${path} (${reason})`,
    { cause: error },
  );
}

function fileTypeOf(stats: Stats): string {
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) {
    return 'a character device other than standard input';
  }
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isDirectory()) return 'a directory';
  return 'a special file';
}

/**
 * Turns a recorded file into text. Windows PowerShell 5.1 redirects output
 * as UTF-16LE with a byte-order mark, so that is decoded too; anything with
 * NUL characters left after decoding is binary and refused.
 */
export function decodeInput(bytes: Uint8Array): string {
  const text = decode(Buffer.from(bytes));

  if (text.includes('\0')) {
    throw new DiagnoseError(
      DIAGNOSE_ERROR_CODES.unreadable,
      'the file is binary, not a recorded text output',
    );
  }
  if (text.trim() === '') {
    throw new DiagnoseError(
      DIAGNOSE_ERROR_CODES.unreadable,
      'the file is empty',
    );
  }
  return text;
}

function decode(buffer: Buffer): string {
  if (buffer[0] === 0xff && buffer[1] === 0xfe) {
    return buffer.subarray(2).toString('utf16le');
  }
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
    return buffer.subarray(3).toString('utf8');
  }
  // UTF-16LE without a mark: every other byte of ASCII text is zero.
  if (buffer.length >= 4 && buffer[1] === 0 && buffer[3] === 0 && buffer[0]) {
    return buffer.toString('utf16le');
  }
  return buffer.toString('utf8');
}

/**
 * Drops the `### ` annotation lines recorded cases carry (labels, the
 * command that ran, notes on gaps): they are not tool output.
 */
export function withoutAnnotations(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('### '))
    .join('\n');
}

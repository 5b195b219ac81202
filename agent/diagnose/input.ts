import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { DIAGNOSE_ERROR_CODES, DiagnoseError } from './errors.js';

/**
 * Refuses anything but a regular file, before it is opened: reading a FIFO
 * or a character device waits for a writer that may never come, and a
 * socket or a directory holds no recorded output. Symbolic links are
 * followed to what they name.
 */
export async function assertRegularFile(path: string): Promise<void> {
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (error) {
    throw cannotRead(path, error);
  }
  if (stats.isFile()) return;
  throw new DiagnoseError(
    DIAGNOSE_ERROR_CODES.unreadable,
    `${path} is ${fileTypeOf(stats)}, not a regular file; save the ` +
      'output to a file and give that file',
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
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
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

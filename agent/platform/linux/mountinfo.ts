/**
 * Parser of /proc/<pid>/mountinfo (proc(5)). Unlike /proc/mounts it gives
 * the backing device as major:minor, which is what tells two mounts of one
 * file system apart from two file systems, and the root of a bind mount.
 *
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=x
 *   (1)(2) (3)   (4)   (5)     (6)       (7)   (8) (9)   (10)      (11)
 *
 * Field 7 holds zero or more optional fields ended by the lone "-" (8).
 */
export interface MountInfoEntry {
  mountId: number;
  parentId: number;
  major: number;
  minor: number;
  /** The directory of the file system that is mounted here ("/" mostly). */
  root: string;
  mountPoint: string;
  /** Per-mount options (rw, ro, nosuid...). */
  options: string[];
  fsType: string;
  /** The mount source: a device path, "tmpfs", "server:/export"... */
  source: string;
}

/** Parses every well-formed line; malformed lines are skipped. */
export function parseMountInfo(text: string): MountInfoEntry[] {
  const entries: MountInfoEntry[] = [];
  for (const line of text.split('\n')) {
    const entry = parseLine(line);
    if (entry) entries.push(entry);
  }
  return entries;
}

function parseLine(line: string): MountInfoEntry | undefined {
  const fields = line.trim().split(' ');
  const separator = fields.indexOf('-', 6);
  if (separator < 0 || fields.length < separator + 3) return undefined;

  const [mountId, parentId, device, root, mountPoint, options] = fields;
  const [major, minor] = (device ?? '').split(':').map(Number);
  if (
    major === undefined ||
    minor === undefined ||
    !Number.isInteger(major) ||
    !Number.isInteger(minor) ||
    root === undefined ||
    mountPoint === undefined
  ) {
    return undefined;
  }

  return {
    mountId: Number(mountId),
    parentId: Number(parentId),
    major,
    minor,
    root: unescapeOctal(root),
    mountPoint: unescapeOctal(mountPoint),
    options: (options ?? '').split(','),
    fsType: unescapeOctal(fields[separator + 1] ?? ''),
    source: unescapeOctal(fields[separator + 2] ?? ''),
  };
}

/** The kernel writes space, tab, newline and backslash as \ooo octal. */
function unescapeOctal(value: string) {
  return value.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
}

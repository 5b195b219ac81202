import type { Volume } from '../../../core/index.js';

/**
 * Which Unix mounts are volumes of this machine that can fill up, and what
 * each is for. Pure: the Linux probe passes what mountinfo says, the df
 * parser what df printed (often without a file-system type).
 *
 * The rules name whole kinds of mount, not paths seen once:
 * - pseudo and kernel file systems hold no user data and report sizes that
 *   mean nothing (proc, sysfs, cgroup, devtmpfs...);
 * - image file systems (squashfs, erofs, ISO 9660...) and loop devices are
 *   read-only images that are full by design: one snap revision each;
 * - overlay mounts are container layers whose space is the host's, except
 *   an overlay root, where every write of the system lands;
 * - network and host-share file systems are the file server's concern, and
 *   a statfs on a dead server can hang;
 * - tmpfs is memory: kept where ordinary programs write (/tmp, /var/tmp,
 *   /dev/shm, /run), skipped elsewhere (/run/user/N, /run/lock, service
 *   credential mounts), where the system sizes and recreates it.
 */
export const SKIP_REASONS = {
  pseudo: 'pseudo-file-system',
  image: 'read-only-image',
  overlay: 'container-layer',
  network: 'network-file-system',
  tmpfs: 'system-tmpfs',
  removable: 'removable-media',
  singleFile: 'single-file-bind-mount',
  duplicate: 'same-device-as-shorter-mount',
  unreadable: 'statfs-failed',
  noSize: 'size-unknown',
} as const;

export type SkipReason = (typeof SKIP_REASONS)[keyof typeof SKIP_REASONS];

export type MountClass =
  | { monitored: true; role: Volume['role'] }
  | { monitored: false; reason: SkipReason };

export interface MountFacts {
  mountPoint: string;
  source: string;
  /** From mountinfo or `df -T`; inferred from the source when missing. */
  fsType?: string;
  readOnly?: boolean;
}

const PSEUDO = new Set([
  'proc',
  'sysfs',
  'cgroup',
  'cgroup2',
  'devpts',
  'devtmpfs',
  'mqueue',
  'debugfs',
  'tracefs',
  'securityfs',
  'pstore',
  'bpf',
  'autofs',
  'fusectl',
  'configfs',
  'binfmt_misc',
  'hugetlbfs',
  'nsfs',
  'efivarfs',
  'selinuxfs',
  'rpc_pipefs',
  'nfsd',
  'ramfs',
  'rootfs',
  'devfs',
  'fuse.gvfsd-fuse',
  'fuse.portal',
  'fuse.lxcfs',
]);

const IMAGES = new Set([
  'squashfs',
  'erofs',
  'cramfs',
  'romfs',
  'iso9660',
  'udf',
]);

const OVERLAYS = new Set(['overlay', 'aufs', 'fuse.fuse-overlayfs']);

const NETWORK = new Set([
  'cifs',
  'smbfs',
  'smb3',
  'ncpfs',
  'afs',
  'ceph',
  'glusterfs',
  'lustre',
  'davfs',
  '9p',
  'virtiofs',
  'vboxsf',
  'vmhgfs',
  'sshfs',
  'fuse.sshfs',
  'fuse.vmhgfs-fuse',
  'fuse.rclone',
  'fuse.s3fs',
  'fuse.glusterfs',
  'fuse.ceph-fuse',
  'fuse.davfs2',
]);

/** tmpfs mount points where programs write and a full one breaks them. */
const WRITABLE_TMPFS = new Set(['/tmp', '/var/tmp', '/dev/shm', '/run']);

export function classifyMount(facts: MountFacts): MountClass {
  const fsType = facts.fsType ?? inferFsType(facts.source);
  const skip = skipReason({ ...facts, fsType });
  if (skip) return { monitored: false, reason: skip };

  return { monitored: true, role: unixRole(facts.mountPoint) };
}

function skipReason(facts: MountFacts & { fsType: string }) {
  const { fsType, mountPoint, source } = facts;
  if (PSEUDO.has(fsType) || isKernelPath(mountPoint)) {
    return SKIP_REASONS.pseudo;
  }
  if (IMAGES.has(fsType) || /^\/dev\/loop\d*$/.test(source)) {
    return SKIP_REASONS.image;
  }
  if (OVERLAYS.has(fsType) && mountPoint !== '/') return SKIP_REASONS.overlay;
  if (isNetwork(fsType, source)) return SKIP_REASONS.network;
  if (fsType === 'tmpfs' && (facts.readOnly || !WRITABLE_TMPFS.has(mountPoint)))
    return SKIP_REASONS.tmpfs;

  return undefined;
}

function isKernelPath(mountPoint: string) {
  return /^\/(proc|sys)(\/|$)/.test(mountPoint);
}

function isNetwork(fsType: string, source: string) {
  if (NETWORK.has(fsType) || /^(nfs|smb)/.test(fsType)) return true;
  // An untyped df row: host:/export (NFS) or //server/share (SMB).
  return fsType === 'unknown' && /^([^/\s]+:\/|\/\/)/.test(source);
}

/**
 * df without -T prints no type; the source names the common pseudo mounts
 * ("udev" is Debian's devtmpfs). Anything else is taken as a real device.
 */
export function inferFsType(source: string) {
  if (source === 'udev') return 'devtmpfs';
  if (PSEUDO.has(source) || source === 'tmpfs' || OVERLAYS.has(source)) {
    return source;
  }
  return 'unknown';
}

function unixRole(mountPoint: string): Volume['role'] {
  if (mountPoint === '/') return 'system';
  if (mountPoint === '/boot') return 'boot';
  if (mountPoint === '/boot/efi' || mountPoint === '/efi') return 'efi';
  return 'data';
}

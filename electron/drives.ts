// What kind of drive a budget file is on, for how SQLite journals it, and which paths the desktop host
// refuses. Pure functions of the path and what the system says about its mounts, so they are tested anywhere.
//
// WAL keeps recent commits in a `-wal` file beside the budget until a checkpoint, and needs shared memory
// between the processes using the file: neither holds on an SMB share or a redirected folder, and a USB stick
// pulled (or a file copied) between commits and checkpoint leaves an out-of-date `.budget`. There the file is
// journaled DELETE: each commit is in the `.budget` file itself when the call answers.
import { posix, win32 } from 'node:path';

export type JournalMode = 'WAL' | 'DELETE';

export interface JournalPolicyInput {
  platform: NodeJS.Platform;
  /** Windows: %SystemDrive% (C:), the one drive known to be a fixed local disk. */
  systemDrive?: string;
}

/**
 * A Windows network path (\\server\share\…, //server/share/…, \\?\UNC\…). Opening one makes Windows connect to
 * that server and offer the user's credentials (NTLM), so the desktop host never touches one.
 */
export function isUncPath(path: string): boolean {
  return /^[\\/]{2}/.test(path);
}

/** File systems over a network, or of sticks and cards (FAT/exFAT/NTFS through FUSE): no WAL there. */
const NETWORK_OR_REMOVABLE_FS = new Set([
  'nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', '9p', 'afs', 'ceph', 'glusterfs', 'sshfs', 'fuse.sshfs', 'davfs', 'fuse.davfs2',
  'vfat', 'msdos', 'exfat', 'ntfs', 'ntfs3', 'fuseblk', 'fuse.gvfsd-fuse', 'udf', 'iso9660',
]);
/** Where desktops mount what is plugged in. */
const REMOVABLE_MOUNT_ROOTS = ['/media/', '/run/media/', '/mnt/'];

interface Mount {
  point: string;
  type: string;
}

/** /proc/mounts: "device mountpoint type options …", with spaces in names written as \040. */
export function parseMounts(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const [, point, type] = line.split(' ');
    if (!point || !type) continue;
    mounts.push({ point: point.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(Number.parseInt(o, 8))), type });
  }
  return mounts;
}

function mountOf(file: string, mounts: readonly Mount[]): Mount | null {
  let best: Mount | null = null;
  for (const m of mounts) {
    const inside = m.point === '/' || file === m.point || file.startsWith(m.point.endsWith('/') ? m.point : `${m.point}/`);
    if (inside && (!best || m.point.length > best.point.length)) best = m;
  }
  return best;
}

/**
 * WAL on a fixed local disk, DELETE anywhere else. Windows offers no locale-free answer without a native
 * module, so only the system drive counts as local there: a budget on D: is journaled DELETE too, which costs
 * a little speed and nothing else. `mounts` is /proc/mounts (Linux).
 */
export function journalModeFor(file: string, input: JournalPolicyInput, mounts = ''): JournalMode {
  if (input.platform === 'win32') {
    if (isUncPath(file)) return 'DELETE';
    const drive = win32.parse(win32.resolve(file)).root.slice(0, 2).toUpperCase();
    const system = (input.systemDrive || 'C:').slice(0, 2).toUpperCase();
    return drive === system ? 'WAL' : 'DELETE';
  }
  const path = posix.resolve(file);
  if (input.platform === 'darwin') return path.startsWith('/Volumes/') ? 'DELETE' : 'WAL';
  if (REMOVABLE_MOUNT_ROOTS.some((root) => path.startsWith(root))) return 'DELETE';
  const mount = mountOf(path, parseMounts(mounts));
  return mount && (NETWORK_OR_REMOVABLE_FS.has(mount.type) || mount.type.startsWith('fuse.')) ? 'DELETE' : 'WAL';
}

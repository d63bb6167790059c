// Whether everything the user did has been stored by the host. Every write the UI sends (a cell edit, a
// pasted block, undo, a 说明 draft waiting to be sent) holds a ticket until the host answers; the status bar
// says 已保存 only while no ticket is out, so what it calls saved is in the file. A refused write releases its
// ticket too (nothing is pending) and is reported where it happened.
import { useSyncExternalStore } from 'react';

export interface SaveState {
  /** Writes sent or scheduled and not yet answered. */
  pending: number;
  /** The last write failed (the message shown where it happened); cleared by the next successful one. */
  failed: boolean;
}

let state: SaveState = { pending: 0, failed: false };
const listeners = new Set<() => void>();

function set(next: SaveState): void {
  state = next;
  for (const l of listeners) l();
}

/** Takes a ticket; the returned function gives it back (once), saying whether the write was stored. */
export function holdSave(): (ok?: boolean) => void {
  set({ ...state, pending: state.pending + 1 });
  let done = false;
  return (ok = true) => {
    if (done) return;
    done = true;
    set({ pending: state.pending - 1, failed: ok ? false : true });
  };
}

/** Holds a ticket while the write runs. */
export async function trackSave<T>(write: Promise<T>): Promise<T> {
  const release = holdSave();
  try {
    const result = await write;
    release(true);
    return result;
  } catch (err) {
    release(false);
    throw err;
  }
}

export function saveState(): SaveState {
  return state;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSaveState(): SaveState {
  return useSyncExternalStore(subscribe, saveState, saveState);
}

// What 撤销 / 重做 / 新建预算 mean on this page, whether they come from the desktop host's menus
// (window.budgetShell.onCommand) or from the keyboard. Pure decisions over a snapshot of the page's focus, so
// they are tested without Electron or a browser; App.tsx reads the page and carries the decision out.
import type { ShellCommand } from './api.js';

/** What has the user's attention when a command arrives. */
export interface FocusState {
  /** The focus is in a text box (a cell editor's, a dialog's, the wizard's): undo means its typing. */
  textEditing: boolean;
  /** A grid cell editor is open (even if the focus left its text box). */
  cellEditorOpen: boolean;
  /** A dialog or a busy overlay covers the page: the budget behind it is not to change. */
  modalOpen: boolean;
}

export type ShellDecision =
  /** Undo / redo the typing in the focused text box (the browser's own editing undo). */
  | { kind: 'text'; command: 'undo' | 'redo' }
  /** The app's edit.undo / edit.redo. */
  | { kind: 'budget'; command: 'undo' | 'redo' }
  /** Open 新建预算 to create the budget at the file chosen in the host's save dialog. */
  | { kind: 'new-budget'; path: string }
  /** Open 导入科目代码表. */
  | { kind: 'import-code-list' }
  | { kind: 'ignore' };

/** A menu command as sent by the host; anything else (another host version, a stray message) is null. */
export function readShellCommand(payload: unknown): ShellCommand | null {
  if (!payload || typeof payload !== 'object') return null;
  const p = payload as { command?: unknown; path?: unknown };
  if (p.command === 'undo' || p.command === 'redo') return { command: p.command };
  if (p.command === 'import-code-list') return { command: 'import-code-list' };
  if (p.command === 'new-budget' && typeof p.path === 'string' && p.path.trim() !== '') return { command: 'new-budget', path: p.path };
  return null;
}

/** 撤销 / 重做, from a menu or a key: the text box's own undo first; never behind an open editor or dialog. */
function undoDecision(command: 'undo' | 'redo', focus: FocusState): ShellDecision {
  if (focus.textEditing) return { kind: 'text', command };
  if (focus.cellEditorOpen || focus.modalOpen) return { kind: 'ignore' };
  return { kind: 'budget', command };
}

export function decideShellCommand(payload: unknown, focus: FocusState): ShellDecision {
  const command = readShellCommand(payload);
  if (!command) return { kind: 'ignore' };
  if (command.command === 'new-budget') return { kind: 'new-budget', path: command.path };
  if (command.command === 'import-code-list') return { kind: 'import-code-list' };
  return undoDecision(command.command, focus);
}

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * Ctrl+Z / Ctrl+Y / Ctrl+Shift+Z (Cmd on a Mac). `handle` true means the page acts on the key itself and must
 * call preventDefault(), so the desktop menu's accelerator for the same key does not fire a second time; false
 * leaves the key to the text box (its own typing) or to nobody.
 */
export function decideUndoKey(e: KeyLike, focus: FocusState): { handle: boolean; decision: ShellDecision } {
  const none = { handle: false, decision: { kind: 'ignore' } as ShellDecision };
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return none;
  const key = e.key.toLowerCase();
  if (key !== 'z' && key !== 'y') return none;
  const decision = undoDecision(key === 'y' || e.shiftKey ? 'redo' : 'undo', focus);
  // A text box undoes its typing by default; the page does not take the key from it.
  if (decision.kind !== 'budget') return none;
  return { handle: true, decision };
}

/** The focus snapshot of a page (the grid marks an open editor; dialogs sit in a modal backdrop). */
export function readFocus(doc: Document): FocusState {
  const active = doc.activeElement as HTMLElement | null;
  const textEditing =
    !!active &&
    (active.tagName === 'TEXTAREA' ||
      active.isContentEditable ||
      (active.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'file', 'range', 'color'].includes((active as HTMLInputElement).type)));
  return {
    textEditing,
    cellEditorOpen: !!doc.querySelector('.ag-cell-inline-editing, .ag-popup-editor'),
    modalOpen: !!doc.querySelector('.modal-backdrop'),
  };
}

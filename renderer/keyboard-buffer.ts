// The line grid's keyboard buffer. The grid shows a cell's editor (a 科目 picker, the amount's text box, the
// 支出类型 list) a moment after the key that opened it: React mounts it in a later task, and on a loaded PC
// several keystrokes arrive first. Until the editor holds the focus:
// - printable keys and Backspace are collected, and typed into the editor when it takes the focus;
// - Enter, Tab or Escape would make the grid stop an editor that is not there yet (the typed text dropped,
//   the half-opened editor left behind), so they wait, with every key after them, in order, and are
//   replayed once the editor is there, as if typed then.
// - after an edit that may move its line (a new 功能分类 re-sorts it), every key waits until the host has
//   answered and the cursor has followed the line: the keys typed meanwhile then go where they would have
//   gone had the answer been instant, never to the row that slid into the line's place.
// So what the user typed is what is stored, whatever the timing.
import type { GridApi } from 'ag-grid-community';

interface BufferedKey {
  key: string;
  code: string;
  keyCode: number;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

function isPrintable(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): boolean {
  return e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey;
}

function isTextField(el: EventTarget | null): el is HTMLInputElement | HTMLTextAreaElement {
  return el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && ['text', 'search', ''].includes(el.type));
}

/** Keys reach the cell itself while its editor is not there yet; once it is, they reach the editor. */
function editorHasFocus(target: EventTarget | null): boolean {
  return target instanceof Element && !target.classList.contains('ag-cell') && target !== document.body;
}

export interface KeyboardBuffer {
  /** From the container's capture-phase keydown: true when the key was taken into the buffer. */
  keyDown(e: KeyboardEvent): boolean;
  /** From the container's focusin: an editor took the focus. */
  focusIn(e: FocusEvent): void;
  /** The grid stopped editing a cell. */
  editingStopped(): void;
  /** Keys wait until `done` settles (an edit that may move its line is being saved). */
  hold(done: Promise<unknown>): void;
}

export function createKeyboardBuffer(grid: () => GridApi | null): KeyboardBuffer {
  /** Typed for the editor being opened, after the key that opened it (the grid gives the editor that one). */
  let text = '';
  /** Keys waiting for the editor, from the first Enter/Tab/Escape typed before it was there. */
  const queue: BufferedKey[] = [];
  let replaying = false;
  let holds = 0;
  const editing = () => (grid()?.getEditingCells().length ?? 0) > 0;

  const dispatch = (k: BufferedKey) => {
    const target = document.activeElement ?? document.body;
    const init = { ...k, which: k.keyCode, bubbles: true, cancelable: true, composed: true };
    const proceed = target.dispatchEvent(new KeyboardEvent('keydown', init));
    // A key replayed into a text box types there as the real one would have (the browser does not do that
    // for a key event sent by the page).
    if (proceed && document.activeElement === target && isTextField(target)) {
      if (isPrintable(k)) document.execCommand('insertText', false, k.key);
      else if (k.key === 'Backspace') document.execCommand('delete');
    }
    target.dispatchEvent(new KeyboardEvent('keyup', init));
  };

  /** Replays the waiting keys on whatever has the focus; a key that has to wait again stops the replay. */
  const replay = () => {
    if (replaying || holds > 0) return;
    replaying = true;
    try {
      const keys = queue.splice(0);
      while (keys.length) {
        if (queue.length) {
          queue.push(...keys);
          return;
        }
        dispatch(keys.shift()!);
      }
    } finally {
      replaying = false;
    }
  };
  const replaySoon = () => window.setTimeout(replay);

  return {
    keyDown(e) {
      const key: BufferedKey = { key: e.key, code: e.code, keyCode: e.keyCode, shiftKey: e.shiftKey, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey };
      if (queue.length || holds > 0) {
        queue.push(key);
        // The editor the keys wait for went away without showing: type them now.
        if (!editing() && holds === 0) replaySoon();
      } else if (!editing()) {
        // This key may open an editor (the grid hands it the key itself): a new buffer starts.
        text = '';
        return false;
      } else if (!editorHasFocus(e.target)) {
        if (isPrintable(e)) text += e.key;
        else if (e.key === 'Backspace') text = text.slice(0, -1);
        else if (e.key === 'Enter' || e.key === 'Tab' || e.key === 'Escape') queue.push(key);
        else return false;
      } else return false;
      e.preventDefault();
      e.stopPropagation();
      return true;
    },
    focusIn(e) {
      if ((text === '' && queue.length === 0) || !editing() || !editorHasFocus(e.target)) return;
      const typed = text;
      text = '';
      const target = e.target;
      // After the editor's own focus handling (it places the caret) has finished.
      queueMicrotask(() => {
        if (typed && isTextField(target) && document.activeElement === target) document.execCommand('insertText', false, typed);
        if (queue.length) replaySoon();
      });
    },
    editingStopped() {
      if (queue.length && !editing()) replaySoon();
    },
    hold(done) {
      holds++;
      void done.finally(() => {
        holds--;
        if (holds === 0 && queue.length) replaySoon();
      });
    },
  };
}

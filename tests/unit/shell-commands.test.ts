// What the desktop menus' 撤销 / 重做 / 新建预算 and the undo keys do on the page (renderer/shell-commands.ts).
import { describe, expect, it } from 'vitest';
import { decideShellCommand, decideUndoKey, readShellCommand, type FocusState, type KeyLike } from '../../renderer/shell-commands.js';

const idle: FocusState = { textEditing: false, cellEditorOpen: false, modalOpen: false };
const typing: FocusState = { textEditing: true, cellEditorOpen: true, modalOpen: false };
const editorOpen: FocusState = { textEditing: false, cellEditorOpen: true, modalOpen: false };
const dialog: FocusState = { textEditing: false, cellEditorOpen: false, modalOpen: true };
const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: true, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('menu commands', () => {
  it('undo / redo act on the budget when nothing is being edited', () => {
    expect(decideShellCommand({ command: 'undo' }, idle)).toEqual({ kind: 'budget', command: 'undo' });
    expect(decideShellCommand({ command: 'redo' }, idle)).toEqual({ kind: 'budget', command: 'redo' });
  });

  it('undo / redo undo the typing in an open text box (a cell editor, a dialog field) instead', () => {
    expect(decideShellCommand({ command: 'undo' }, typing)).toEqual({ kind: 'text', command: 'undo' });
    expect(decideShellCommand({ command: 'redo' }, { ...dialog, textEditing: true })).toEqual({ kind: 'text', command: 'redo' });
  });

  it('do nothing to the budget while a cell editor is open or a dialog covers the page', () => {
    expect(decideShellCommand({ command: 'undo' }, editorOpen)).toEqual({ kind: 'ignore' });
    expect(decideShellCommand({ command: 'redo' }, dialog)).toEqual({ kind: 'ignore' });
  });

  it('new-budget opens 新建预算 on the chosen file, whatever has the focus', () => {
    for (const f of [idle, typing, dialog]) {
      expect(decideShellCommand({ command: 'new-budget', path: 'D:\\预算\\2026.budget' }, f)).toEqual({ kind: 'new-budget', path: 'D:\\预算\\2026.budget' });
    }
  });

  it('import-code-list opens 导入科目代码表', () => {
    expect(decideShellCommand({ command: 'import-code-list' }, idle)).toEqual({ kind: 'import-code-list' });
  });

  it('ignores what is not a command', () => {
    for (const p of [null, undefined, 'undo', 42, {}, { command: 'delete-all' }, { command: 'new-budget' }, { command: 'new-budget', path: ' ' }, { command: 'new-budget', path: 3 }]) {
      expect(readShellCommand(p)).toBeNull();
      expect(decideShellCommand(p, idle)).toEqual({ kind: 'ignore' });
    }
    expect(readShellCommand({ command: 'undo', extra: 1 })).toEqual({ command: 'undo' });
  });
});

describe('undo keys', () => {
  it('Ctrl+Z, Ctrl+Y and Ctrl+Shift+Z are taken by the page (so preventDefault keeps the menu from firing too)', () => {
    expect(decideUndoKey(key('z'), idle)).toEqual({ handle: true, decision: { kind: 'budget', command: 'undo' } });
    expect(decideUndoKey(key('Z', { shiftKey: true }), idle)).toEqual({ handle: true, decision: { kind: 'budget', command: 'redo' } });
    expect(decideUndoKey(key('y'), idle)).toEqual({ handle: true, decision: { kind: 'budget', command: 'redo' } });
    expect(decideUndoKey(key('z', { ctrlKey: false, metaKey: true }), idle).handle).toBe(true);
  });

  it('are left alone in a text box, under an open editor or dialog, and without Ctrl, or with Alt', () => {
    for (const f of [typing, editorOpen, dialog]) expect(decideUndoKey(key('z'), f).handle).toBe(false);
    expect(decideUndoKey(key('z', { ctrlKey: false }), idle).handle).toBe(false);
    expect(decideUndoKey(key('z', { altKey: true }), idle).handle).toBe(false);
    expect(decideUndoKey(key('x'), idle).handle).toBe(false);
  });
});

// The publication format of a budget file, and the formats a user loaded into it. Both are kept in the file
// (meta), like the year's code lists: a file opens with the same tables after an app upgrade and on another PC.
import { parseJson } from '../core/json-lines.js';
import type { Problem } from '../core/problems.js';
import { DEFAULT_FORMAT_ID, SHIPPED_FORMATS, parsePublicationFormat, type PublicationFormat } from '../core/tables/index.js';
import { StoreError, type BudgetStore } from './store.js';

/** Id of the budget's format; absent means the default (河南 2020). */
export const FORMAT_META_KEY = 'publication.format';
/** The formats loaded from files, as a JSON array of format documents. */
export const USER_FORMATS_META_KEY = 'publication.formats';

export interface AvailableFormat {
  id: string;
  name: string;
  builtin: boolean;
  format: PublicationFormat;
}

/** Formats loaded into the file. One that no longer passes the checks (an older app's) is left out. */
export function userFormats(store: BudgetStore): PublicationFormat[] {
  const raw = store.getMeta(USER_FORMATS_META_KEY);
  if (!raw) return [];
  const parsed = parseJson(raw);
  if (!parsed.ok || !Array.isArray(parsed.value)) return [];
  const out: PublicationFormat[] = [];
  for (const item of parsed.value) {
    const f = parsePublicationFormat(item);
    if (f.ok) out.push(f.format);
  }
  return out;
}

/** The shipped formats, then the file's own. */
export function availableFormats(store: BudgetStore): AvailableFormat[] {
  return [
    ...[...SHIPPED_FORMATS.values()].map((format) => ({ id: format.id, name: format.name, builtin: true, format })),
    ...userFormats(store).map((format) => ({ id: format.id, name: format.name, builtin: false, format })),
  ];
}

/** A format by id among those of the file, or null. */
export function findFormat(store: BudgetStore, id: string): PublicationFormat | null {
  return availableFormats(store).find((f) => f.id === id)?.format ?? null;
}

/** The budget's format: the one chosen for the file, 河南 2020 when none was (or it is no longer there). */
export function chosenFormat(store: BudgetStore): PublicationFormat {
  const id = store.getMeta(FORMAT_META_KEY);
  return (id ? findFormat(store, id) : null) ?? SHIPPED_FORMATS.get(DEFAULT_FORMAT_ID)!;
}

/** Refusal of an unknown format id, in Chinese, naming those there are. */
export function unknownFormat(store: BudgetStore, id: string): StoreError {
  const known = availableFormats(store).map((f) => `${f.id}（${f.name}）`).join('、');
  return new StoreError('invalid', `没有公开表格式“${id}”。可用的格式：${known}`);
}

/** Chooses the budget's format (one statement: the file changes only when the id is known). */
export function chooseFormat(store: BudgetStore, id: string): PublicationFormat {
  const format = findFormat(store, id);
  if (!format) throw unknownFormat(store, id);
  store.setMeta(FORMAT_META_KEY, format.id);
  return format;
}

export type CheckedFormatFile = { ok: true; format: PublicationFormat } | { ok: false; problems: Problem[] };

/** Reads a format file completely (JSON, shape, rules) before anything is written; every problem at once. */
export function checkFormatFile(text: string): CheckedFormatFile {
  const json = parseJson(text);
  if (!json.ok) return { ok: false, problems: [{ path: '$', message: json.message }] };
  const parsed = parsePublicationFormat(json.value);
  if (!parsed.ok) return parsed;
  if (SHIPPED_FORMATS.has(parsed.format.id)) {
    return { ok: false, problems: [{ path: '$.id', message: `“${parsed.format.id}”是内置格式的编号，请为自己的格式另取一个编号` }] };
  }
  return parsed;
}

/** Keeps a checked format in the file (replacing one of the same id). */
export function storeUserFormat(store: BudgetStore, format: PublicationFormat): void {
  const others = userFormats(store).filter((f) => f.id !== format.id);
  store.setMeta(USER_FORMATS_META_KEY, JSON.stringify([...others, format]));
}

// The publication format a submission package was made in, as its manifest records it (`publicationFormat`:
// the format's id, name and whole definition). The package's tables (.xlsx, PDF) are that format's tables, so
// a receiver reads and cross-checks them in that format, whatever formats it knows itself, and a package made
// in a format the user loaded from a file stays readable on another PC. The field is optional: a package of an
// earlier version has none and holds the eleven tables of 河南 2020.
import { DEFAULT_FORMAT_ID, SHIPPED_FORMATS } from './tables/definitions.js';
import { parsePublicationFormat, type PublicationFormat } from './tables/format.js';

export interface ManifestPublicationFormat {
  id: string;
  name: string;
  /** The format as the package was made with it (core/tables/format.ts). */
  definition: PublicationFormat;
}

/** What a manifest records of the format its package was made in. */
export function manifestPublicationFormat(format: PublicationFormat): ManifestPublicationFormat {
  return { id: format.id, name: format.name, definition: format };
}

/**
 * Reads `publicationFormat` of a manifest; every problem goes to `bad` with its path. Undefined (absent) is
 * fine: the package is one of an earlier version.
 */
export function readManifestPublicationFormat(raw: unknown, bad: (path: string, message: string) => void): ManifestPublicationFormat | undefined {
  if (raw === undefined) return undefined;
  const at = '$.publicationFormat';
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    bad(at, '公开表格式 publicationFormat 应为对象');
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const id = typeof r.id === 'string' && r.id !== '' ? r.id : (bad(`${at}.id`, '公开表格式编号应为非空文本'), '');
  const name = typeof r.name === 'string' && r.name !== '' ? r.name : (bad(`${at}.name`, '公开表格式名称应为非空文本'), '');
  const parsed = parsePublicationFormat(r.definition);
  if (!parsed.ok) {
    for (const p of parsed.problems) bad(`${at}.definition${p.path.slice(1)}`, p.message);
    return undefined;
  }
  if (id && parsed.format.id !== id) bad(`${at}.definition.id`, `格式定义的编号“${parsed.format.id}”与清单中的“${id}”不一致`);
  if (!id || !name || parsed.format.id !== id) return undefined;
  return { id, name, definition: parsed.format };
}

/**
 * The format a package's tables are in: the one its manifest records, 河南 2020 for an earlier package. A
 * recorded format that is a shipped one exactly is that one (the engine then knows it for 河南 2020).
 */
export function packageFormat(manifest: { publicationFormat?: ManifestPublicationFormat | undefined }): PublicationFormat {
  const recorded = manifest.publicationFormat?.definition;
  if (!recorded) return SHIPPED_FORMATS.get(DEFAULT_FORMAT_ID)!;
  const shipped = SHIPPED_FORMATS.get(recorded.id);
  return shipped && JSON.stringify(shipped) === JSON.stringify(recorded) ? shipped : recorded;
}

/** The ids of the tables a package holds one file each of, in the format's order. */
export function packageTableIds(manifest: { publicationFormat?: ManifestPublicationFormat | undefined }): string[] {
  return packageFormat(manifest).tables.map((t) => t.id);
}

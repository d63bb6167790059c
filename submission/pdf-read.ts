// Reading a PDF's pages and the text each page draws, with nothing but Node (zlib): the receiver checks a
// package's tables.pdf on the department's PC, an air-gapped Windows machine without poppler or any other
// program, so the app reads the file itself.
//
// Enough of PDF for that: objects wherever they stand in the file (found by their `n g obj` headers, later
// ones replacing earlier ones, as incremental updates do) and inside object streams; the page tree in order,
// with inherited resources; content streams (uncompressed or FlateDecode); fonts' ToUnicode maps (bfchar and
// bfrange), two-byte codes for composite (Type0) fonts; the text operators Tj, TJ, ' and ". Each BT … ET block
// is one run of text. Anything else (images, drawing) is skipped. A file this cannot read is refused with the
// reason; PDFKit's output (how the app writes tables.pdf) always reads.
import { inflateSync } from 'node:zlib';

/** The text runs of one page (one per BT … ET block, in drawing order). */
export interface PdfPageText {
  runs: string[];
}

export type PdfReadResult = { ok: true; pages: PdfPageText[] } | { ok: false; reason: string };

/** Caps on what a hostile file can make the reader do. */
const LIMITS = {
  /** One decoded stream. */
  maxStreamBytes: 64 * 1024 * 1024,
  /** All decoded streams together. */
  maxDecodedBytes: 512 * 1024 * 1024,
  /** Nesting of arrays and dictionaries. */
  maxDepth: 64,
  /** Depth of the page tree. */
  maxTreeDepth: 32,
  maxPages: 100_000,
  /** Codes one ToUnicode map may define (ranges included): a font has at most 65,536 glyphs. */
  maxMappedCodes: 1 << 18,
};

class PdfReadError extends Error {}

type Value = null | boolean | number | Name | Str | Ref | Value[] | Dict | Op;
interface Name {
  t: 'name';
  v: string;
}
interface Str {
  t: 'str';
  v: Buffer;
}
interface Ref {
  t: 'ref';
  n: number;
}
interface Op {
  t: 'op';
  v: string;
}
interface Dict {
  t: 'dict';
  v: Map<string, Value>;
}

interface PdfObject {
  value: Value;
  /** Raw (still encoded) stream data, for stream objects. */
  stream?: Buffer;
}

const isName = (v: Value | undefined, name?: string): v is Name => typeof v === 'object' && v !== null && !Array.isArray(v) && v.t === 'name' && (name === undefined || v.v === name);
const isDict = (v: Value | undefined): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v) && v.t === 'dict';
const isRef = (v: Value | undefined): v is Ref => typeof v === 'object' && v !== null && !Array.isArray(v) && v.t === 'ref';
const isStr = (v: Value | undefined): v is Str => typeof v === 'object' && v !== null && !Array.isArray(v) && v.t === 'str';
const isOp = (v: Value | undefined, op?: string): v is Op => typeof v === 'object' && v !== null && !Array.isArray(v) && v.t === 'op' && (op === undefined || v.v === op);

// ---------------------------------------------------------------------------------------------------
// Lexer and parser

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)));

class Parser {
  pos: number;
  constructor(
    private readonly b: Buffer,
    start = 0,
    /** Objects of the file: `n g R` is a reference. Content streams have none. */
    private readonly refs = true,
  ) {
    this.pos = start;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.b.length;
  }

  skipSpace(): void {
    const b = this.b;
    while (this.pos < b.length) {
      const c = b[this.pos]!;
      if (WHITESPACE.has(c)) this.pos++;
      else if (c === 0x25 /* % */) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  /** The next value; operators (keywords other than true/false/null) come back as ops. */
  value(depth = 0): Value {
    if (depth > LIMITS.maxDepth) throw new PdfReadError('嵌套层次过深');
    this.skipSpace();
    const b = this.b;
    if (this.pos >= b.length) throw new PdfReadError('内容意外结束');
    const c = b[this.pos]!;
    if (c === 0x5b /* [ */) {
      this.pos++;
      const out: Value[] = [];
      for (;;) {
        this.skipSpace();
        if (this.pos >= b.length) throw new PdfReadError('数组没有结束');
        if (b[this.pos] === 0x5d /* ] */) {
          this.pos++;
          return out;
        }
        out.push(this.value(depth + 1));
      }
    }
    if (c === 0x3c /* < */ && b[this.pos + 1] === 0x3c) {
      this.pos += 2;
      const map = new Map<string, Value>();
      for (;;) {
        this.skipSpace();
        if (this.pos >= b.length) throw new PdfReadError('字典没有结束');
        if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
          this.pos += 2;
          return { t: 'dict', v: map };
        }
        const key = this.value(depth + 1);
        if (!isName(key)) throw new PdfReadError('字典的键不是名称');
        map.set(key.v, this.value(depth + 1));
      }
    }
    if (c === 0x3c) return this.hexString();
    if (c === 0x28 /* ( */) return this.literalString();
    if (c === 0x2f /* / */) return this.name();
    if (c === 0x2b || c === 0x2d || c === 0x2e || (c >= 0x30 && c <= 0x39)) return this.numberOrRef();
    if (DELIMITERS.has(c)) {
      // A stray ) ] > or { }: skipped as an operator of its own.
      this.pos++;
      return { t: 'op', v: String.fromCharCode(c) };
    }
    const start = this.pos;
    while (this.pos < b.length && !WHITESPACE.has(b[this.pos]!) && !DELIMITERS.has(b[this.pos]!)) this.pos++;
    const word = b.toString('latin1', start, this.pos);
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    return { t: 'op', v: word };
  }

  private numberOrRef(): Value {
    const n = this.number();
    if (!this.refs || !Number.isInteger(n) || n < 0) return n;
    const save = this.pos;
    this.skipSpace();
    const c = this.b[this.pos];
    if (c !== undefined && c >= 0x30 && c <= 0x39) {
      const g = this.number();
      this.skipSpace();
      if (Number.isInteger(g) && this.b[this.pos] === 0x52 /* R */) {
        const after = this.b[this.pos + 1];
        if (after === undefined || WHITESPACE.has(after) || DELIMITERS.has(after)) {
          this.pos++;
          return { t: 'ref', n };
        }
      }
    }
    this.pos = save;
    return n;
  }

  private number(): number {
    const b = this.b;
    const start = this.pos;
    if (b[this.pos] === 0x2b || b[this.pos] === 0x2d) this.pos++;
    while (this.pos < b.length && ((b[this.pos]! >= 0x30 && b[this.pos]! <= 0x39) || b[this.pos] === 0x2e)) this.pos++;
    const n = Number(b.toString('latin1', start, this.pos));
    return Number.isFinite(n) ? n : 0;
  }

  private name(): Name {
    const b = this.b;
    this.pos++;
    const bytes: number[] = [];
    while (this.pos < b.length && !WHITESPACE.has(b[this.pos]!) && !DELIMITERS.has(b[this.pos]!)) {
      const c = b[this.pos]!;
      if (c === 0x23 /* # */ && this.pos + 2 < b.length) {
        const hex = parseInt(b.toString('latin1', this.pos + 1, this.pos + 3), 16);
        if (Number.isFinite(hex)) {
          bytes.push(hex);
          this.pos += 3;
          continue;
        }
      }
      bytes.push(c);
      this.pos++;
    }
    return { t: 'name', v: Buffer.from(bytes).toString('latin1') };
  }

  private hexString(): Str {
    const b = this.b;
    this.pos++;
    const digits: number[] = [];
    while (this.pos < b.length && b[this.pos] !== 0x3e) {
      const c = b[this.pos]!;
      const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
      if (d >= 0) digits.push(d);
      else if (!WHITESPACE.has(c)) throw new PdfReadError('十六进制字符串中有无效字符');
      this.pos++;
    }
    if (this.pos >= b.length) throw new PdfReadError('十六进制字符串没有结束');
    this.pos++;
    if (digits.length % 2 === 1) digits.push(0);
    const out = Buffer.alloc(digits.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = digits[2 * i]! * 16 + digits[2 * i + 1]!;
    return { t: 'str', v: out };
  }

  private literalString(): Str {
    const b = this.b;
    this.pos++;
    const out: number[] = [];
    let depth = 1;
    while (this.pos < b.length) {
      const c = b[this.pos++]!;
      if (c === 0x5c /* \ */) {
        const e = b[this.pos++];
        if (e === undefined) break;
        const map: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (map[e] !== undefined) out.push(map[e]!);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x37; k++) v = v * 8 + (b[this.pos++]! - 0x30);
          out.push(v & 0xff);
        } else if (e === 0x0d) {
          if (b[this.pos] === 0x0a) this.pos++;
        } else if (e !== 0x0a) out.push(e);
        continue;
      }
      if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) return { t: 'str', v: Buffer.from(out) };
      out.push(c);
    }
    throw new PdfReadError('字符串没有结束');
  }
}

// ---------------------------------------------------------------------------------------------------
// The file's objects

class PdfFile {
  private readonly objects = new Map<number, PdfObject>();
  private decodedBytes = 0;
  trailers: Dict[] = [];

  constructor(private readonly bytes: Buffer) {
    this.scan();
    this.expandObjectStreams();
  }

  /** Every `n g obj … endobj` in file order; a later definition of a number replaces an earlier one. */
  private scan(): void {
    const b = this.bytes;
    const text = b.toString('latin1');
    const header = /(\d+)[ \t\r\n\f\0]+(\d+)[ \t\r\n\f\0]+obj\b|\btrailer\b/g;
    let m: RegExpExecArray | null;
    while ((m = header.exec(text)) !== null) {
      const p = new Parser(b, m.index + m[0].length);
      try {
        if (m[1] === undefined) {
          const t = p.value();
          if (isDict(t)) this.trailers.push(t);
          header.lastIndex = p.pos;
          continue;
        }
        const value = p.value();
        const object: PdfObject = { value };
        p.skipSpace();
        if (isDict(value) && text.startsWith('stream', p.pos)) {
          let start = p.pos + 6;
          if (b[start] === 0x0d) start++;
          if (b[start] === 0x0a) start++;
          const length = value.v.get('Length');
          let end = -1;
          if (typeof length === 'number' && length >= 0 && start + length <= b.length && /^\s*endstream/.test(text.slice(start + length, start + length + 32))) {
            end = start + length;
          } else {
            end = text.indexOf('endstream', start);
            if (end < 0) throw new PdfReadError('流没有结束');
            if (b[end - 1] === 0x0a) end--;
            if (b[end - 1] === 0x0d) end--;
          }
          object.stream = b.subarray(start, end);
          header.lastIndex = Math.max(header.lastIndex, end);
        } else header.lastIndex = Math.max(header.lastIndex, p.pos);
        this.objects.set(Number(m[1]), object);
      } catch {
        // Not an object after all (text inside another object's data): look on.
      }
    }
  }

  /** Objects stored inside object streams (PDF 1.5), unless the file defines them directly. */
  private expandObjectStreams(): void {
    for (const object of [...this.objects.values()]) {
      if (!object.stream || !isDict(object.value) || !isName(object.value.v.get('Type'), 'ObjStm')) continue;
      const data = this.decode(object);
      const count = object.value.v.get('N');
      const first = object.value.v.get('First');
      if (typeof count !== 'number' || typeof first !== 'number') continue;
      const head = new Parser(data, 0, false);
      const entries: [number, number][] = [];
      for (let i = 0; i < count && !head.atEnd(); i++) {
        const n = head.value();
        const offset = head.value();
        if (typeof n === 'number' && typeof offset === 'number') entries.push([n, offset]);
      }
      for (const [n, offset] of entries) {
        if (this.objects.has(n)) continue;
        try {
          this.objects.set(n, { value: new Parser(data, first + offset).value() });
        } catch {
          // an unreadable object is simply absent
        }
      }
    }
  }

  get(v: Value | undefined): Value | undefined {
    let seen = 0;
    while (isRef(v)) {
      if (++seen > 32) return undefined;
      v = this.objects.get(v.n)?.value;
    }
    return v;
  }

  object(v: Value | undefined): PdfObject | undefined {
    return isRef(v) ? this.objects.get(v.n) : undefined;
  }

  dict(v: Value | undefined): Dict | undefined {
    const d = this.get(v);
    return isDict(d) ? d : undefined;
  }

  /** A stream's data, decoded (no filter or FlateDecode). */
  decode(object: PdfObject): Buffer {
    const raw = object.stream ?? Buffer.alloc(0);
    const dict = isDict(object.value) ? object.value : undefined;
    const filter = this.get(dict?.v.get('Filter'));
    const filters = (Array.isArray(filter) ? filter.map((f) => this.get(f)) : filter === undefined || filter === null ? [] : [filter]).map((f) => (isName(f) ? f.v : '?'));
    let data = raw;
    for (const f of filters) {
      if (f !== 'FlateDecode' && f !== 'Fl') throw new PdfReadError(`使用了本程序不读取的压缩方式 ${f}`);
      const room = Math.min(LIMITS.maxStreamBytes, LIMITS.maxDecodedBytes - this.decodedBytes);
      try {
        data = inflateSync(data, { maxOutputLength: Math.max(1, room) });
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new PdfReadError('解压后的内容过大');
        throw new PdfReadError('压缩的内容已损坏');
      }
    }
    const params = this.dict(dict?.v.get('DecodeParms'));
    const predictor = params?.v.get('Predictor');
    if (typeof predictor === 'number' && predictor > 1) throw new PdfReadError('使用了本程序不读取的预测编码');
    this.decodedBytes += data.length;
    return data;
  }

  /** The document catalog: the trailer's /Root, else the last object that is a catalog. */
  catalog(): Dict | undefined {
    for (const t of [...this.trailers].reverse()) {
      const root = this.dict(t.v.get('Root'));
      if (root) return root;
    }
    let found: Dict | undefined;
    for (const o of this.objects.values()) {
      if (isDict(o.value) && isName(o.value.v.get('Type'), 'XRef')) {
        const root = this.dict(o.value.v.get('Root'));
        if (root) found = root;
      }
    }
    if (found) return found;
    for (const o of this.objects.values()) if (isDict(o.value) && isName(o.value.v.get('Type'), 'Catalog')) found = o.value;
    return found;
  }
}

// ---------------------------------------------------------------------------------------------------
// Fonts and text

interface Font {
  /** Bytes per character code: 2 for composite (Type0) fonts. */
  width: 1 | 2;
  map: Map<number, string>;
}

function utf16be(bytes: Buffer): string {
  let s = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode(bytes.readUInt16BE(i));
  return s;
}

function codeOf(bytes: Buffer): number {
  let n = 0;
  for (const byte of bytes) n = n * 256 + byte;
  return n;
}

/** A ToUnicode CMap: code → text, from its bfchar and bfrange sections. */
function toUnicode(data: Buffer): Map<number, string> {
  const map = new Map<number, string>();
  const p = new Parser(data, 0, false);
  const operands: Value[] = [];
  let section: 'char' | 'range' | null = null;
  let mapped = 0;
  const count = (n: number) => {
    mapped += n;
    if (mapped > LIMITS.maxMappedCodes) throw new PdfReadError('字体的字符映射过大');
  };
  while (!p.atEnd()) {
    const v = p.value();
    if (isOp(v)) {
      if (v.v === 'beginbfchar') section = 'char';
      else if (v.v === 'beginbfrange') section = 'range';
      else if (v.v === 'endbfchar' || v.v === 'endbfrange') section = null;
      operands.length = 0;
      continue;
    }
    if (section === null) continue;
    operands.push(v);
    if (section === 'char' && operands.length === 2) {
      const [src, dst] = operands;
      count(1);
      if (isStr(src) && isStr(dst)) map.set(codeOf(src.v), utf16be(dst.v));
      operands.length = 0;
    } else if (section === 'range' && operands.length === 3) {
      const [lo, hi, dst] = operands;
      if (isStr(lo) && isStr(hi)) {
        const from = codeOf(lo.v);
        const to = Math.min(codeOf(hi.v), from + 0xffff);
        count(Math.max(0, to - from + 1));
        if (Array.isArray(dst)) {
          for (let c = from; c <= to && c - from < dst.length; c++) {
            const d = dst[c - from];
            if (isStr(d)) map.set(c, utf16be(d.v));
          }
        } else if (isStr(dst) && dst.v.length >= 2) {
          const base = Buffer.from(dst.v);
          for (let c = from; c <= to; c++) {
            map.set(c, utf16be(base));
            // The last byte counts up (PDF 32000 9.10.3).
            base[base.length - 1] = (base[base.length - 1]! + 1) & 0xff;
          }
        }
      }
      operands.length = 0;
    }
  }
  return map;
}

function fontOf(file: PdfFile, value: Value | undefined, cache: Map<Value, Font>): Font {
  const key = isRef(value) ? value.n : value;
  const cached = key !== undefined ? cache.get(key as Value) : undefined;
  if (cached) return cached;
  const dict = file.dict(value);
  const width: 1 | 2 = isName(dict?.v.get('Subtype'), 'Type0') ? 2 : 1;
  let map = new Map<number, string>();
  const cmap = file.object(dict?.v.get('ToUnicode'));
  if (cmap?.stream) map = toUnicode(file.decode(cmap));
  const font: Font = { width, map };
  if (key !== undefined) cache.set(key as Value, font);
  return font;
}

function decodeText(font: Font | undefined, bytes: Buffer): string {
  if (!font) return bytes.toString('latin1');
  let s = '';
  for (let i = 0; i + font.width <= bytes.length; i += font.width) {
    const code = font.width === 2 ? bytes.readUInt16BE(i) : bytes[i]!;
    const text = font.map.get(code);
    s += text ?? (font.width === 1 && font.map.size === 0 ? String.fromCharCode(code) : '\ufffd');
  }
  return s;
}

/** The text runs of a content stream: each BT … ET block's shown strings, joined. */
function pageRuns(file: PdfFile, content: Buffer, fonts: Dict | undefined, cache: Map<Value, Font>): string[] {
  const p = new Parser(content, 0, false);
  const runs: string[] = [];
  const operands: Value[] = [];
  let run: string | null = null;
  let font: Font | undefined;
  while (!p.atEnd()) {
    const v = p.value();
    if (!isOp(v)) {
      operands.push(v);
      continue;
    }
    switch (v.v) {
      case 'BT':
        run = '';
        break;
      case 'ET':
        if (run !== null && run !== '') runs.push(run);
        run = null;
        break;
      case 'Tf': {
        const name = operands[operands.length - 2];
        font = isName(name) ? fontOf(file, fonts?.v.get(name.v), cache) : undefined;
        break;
      }
      case 'Tj':
      case "'":
      case '"': {
        const s = operands[operands.length - 1];
        if (isStr(s) && run !== null) run += decodeText(font, s.v);
        break;
      }
      case 'TJ': {
        const a = operands[operands.length - 1];
        if (Array.isArray(a) && run !== null) for (const part of a) if (isStr(part)) run += decodeText(font, part.v);
        break;
      }
      case 'BI': {
        // An inline image: its data (after ID) runs to EI.
        const at = content.indexOf('ID', p.pos, 'latin1');
        const end = at < 0 ? -1 : content.indexOf('EI', at + 2, 'latin1');
        p.pos = end < 0 ? content.length : end + 2;
        break;
      }
      default:
        break;
    }
    operands.length = 0;
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------------

/** The pages of a PDF in order, each with the text it draws. */
export function readPdfText(bytes: Buffer): PdfReadResult {
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return { ok: false, reason: '缺少 PDF 文件头' };
  if (!bytes.subarray(Math.max(0, bytes.length - 1024)).toString('latin1').includes('%%EOF')) return { ok: false, reason: '缺少 PDF 文件结尾' };
  try {
    const file = new PdfFile(bytes);
    const catalog = file.catalog();
    if (!catalog) return { ok: false, reason: '找不到文档目录（Catalog）' };
    const root = file.dict(catalog.v.get('Pages'));
    if (!root) return { ok: false, reason: '找不到页面树（Pages）' };
    const pages: PdfPageText[] = [];
    const fonts = new Map<Value, Font>();
    const seen = new Set<Dict>();
    const walk = (node: Dict, inherited: Value | undefined, depth: number) => {
      if (depth > LIMITS.maxTreeDepth || seen.has(node)) throw new PdfReadError('页面树有循环或过深');
      seen.add(node);
      const resources = node.v.get('Resources') ?? inherited;
      const kids = file.get(node.v.get('Kids'));
      if (isName(node.v.get('Type'), 'Pages') || (!isName(node.v.get('Type'), 'Page') && Array.isArray(kids))) {
        if (!Array.isArray(kids)) throw new PdfReadError('页面树的节点没有 Kids');
        for (const kid of kids) {
          const child = file.dict(kid);
          if (!child) throw new PdfReadError('页面树中有无法读取的节点');
          walk(child, resources, depth + 1);
        }
        return;
      }
      if (pages.length >= LIMITS.maxPages) throw new PdfReadError('页数过多');
      const contents = file.get(node.v.get('Contents'));
      const parts = Array.isArray(contents) ? contents : contents === undefined ? [] : [node.v.get('Contents')!];
      const data: Buffer[] = [];
      for (const part of parts) {
        const object = file.object(part);
        if (!object?.stream) throw new PdfReadError(`第 ${pages.length + 1} 页的内容无法读取`);
        data.push(file.decode(object), Buffer.from('\n'));
      }
      const fontDict = file.dict(file.dict(resources)?.v.get('Font'));
      pages.push({ runs: pageRuns(file, Buffer.concat(data), fontDict, fonts) });
    };
    walk(root, undefined, 0);
    if (pages.length === 0) return { ok: false, reason: '没有任何页面' };
    return { ok: true, pages };
  } catch (err) {
    if (err instanceof PdfReadError) return { ok: false, reason: err.message };
    throw err;
  }
}

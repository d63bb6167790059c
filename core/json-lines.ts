// A JSON reader that remembers where each value starts. JSON.parse cannot say on which line a bad value is,
// and it turns numbers into floats before they can be refused; this reader keeps the raw text of numbers and
// the line of every value. Used by the exchange format (core/exchange.ts) and other files read from users.

export type JsonNode =
  | { type: 'object'; line: number; entries: Map<string, JsonNode>; duplicates: { key: string; line: number }[] }
  | { type: 'array'; line: number; items: JsonNode[] }
  | { type: 'string'; line: number; value: string }
  | { type: 'number'; line: number; raw: string }
  | { type: 'boolean'; line: number; value: boolean }
  | { type: 'null'; line: number };
export type ObjectNode = Extract<JsonNode, { type: 'object' }>;

export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function jsonSyntaxMessage(err: JsonSyntaxError): string {
  return `不是有效的 JSON（第 ${err.line} 行第 ${err.column} 列）：${err.reason}`;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The byte offset (from 0) of the first byte that does not begin a well-formed UTF-8 sequence — a stray
 * continuation byte, a truncated or overlong sequence, an encoded surrogate (ED A0–BF) or a code point past
 * U+10FFFF — or -1 when every byte is well-formed.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= bytes.length) return i;
    const second = bytes[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/**
 * Text of a file's bytes, read as UTF-8 (a byte-order mark kept for withoutBom), or why not: a Chinese sentence
 * naming the byte offset of the first byte that is not UTF-8. Nothing is replaced by "�".
 */
export function decodeUtf8Text(bytes: Uint8Array): { ok: true; text: string } | { ok: false; offset: number; message: string } {
  try {
    return { ok: true, text: strictUtf8.decode(bytes) };
  } catch {
    const offset = Math.max(0, invalidUtf8Offset(bytes));
    const hex = bytes.length > offset ? `0x${bytes[offset]!.toString(16).toUpperCase().padStart(2, '0')}` : '';
    return {
      ok: false,
      offset,
      message: `不是有效的 UTF-8 文本：第 ${offset} 字节（从 0 起，值 ${hex}）不是 UTF-8 编码（文件可能是 GBK 等其他编码，请另存为 UTF-8 后再试）`,
    };
  }
}

/** A lone surrogate (half of a UTF-16 pair), which no Unicode text contains. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Reads any JSON document (a byte-order mark allowed), or says in Chinese, with line and column, why the text
 * is not one: "不是有效的 JSON（第 3 行第 5 列）：…". JSON.parse's own message is English and has no line.
 */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const plain = withoutBom(text);
  try {
    return { ok: true, value: JSON.parse(plain) as unknown };
  } catch {
    try {
      new LocatedJsonReader(plain).read();
    } catch (err) {
      if (err instanceof JsonSyntaxError) return { ok: false, message: jsonSyntaxMessage(err) };
    }
    return { ok: false, message: '不是有效的 JSON' };
  }
}

/** Deep enough for any budget, shallow enough that a hostile file cannot exhaust the stack. */
const MAX_DEPTH = 64;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export class LocatedJsonReader {
  private pos = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly src: string) {}

  read(): JsonNode {
    this.skipSpace();
    if (this.pos >= this.src.length) throw new JsonSyntaxError(1, 1, '文件为空，不是 JSON 文档');
    const node = this.value(0);
    this.skipSpace();
    if (this.pos < this.src.length) this.fail('JSON 文档结束后还有多余内容');
    return node;
  }

  private fail(reason: string): never {
    if (this.pos >= this.src.length) {
      throw new JsonSyntaxError(this.line, this.column(), '文件意外结束，内容不完整（可能被截断）');
    }
    throw new JsonSyntaxError(this.line, this.column(), reason);
  }

  private column(): number {
    return this.pos - this.lineStart + 1;
  }

  private skipSpace(): void {
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === '\n') {
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else if (ch === ' ' || ch === '\t' || ch === '\r') this.pos++;
      else break;
    }
  }

  private value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail(`嵌套层数超过 ${MAX_DEPTH} 层`);
    const ch = this.src[this.pos];
    const line = this.line;
    if (ch === '{') return this.object(depth);
    if (ch === '[') return this.array(depth);
    if (ch === '"') return { type: 'string', line, value: this.string() };
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) {
      NUMBER.lastIndex = this.pos;
      const m = NUMBER.exec(this.src);
      if (!m) this.fail('数字格式不正确');
      this.pos += m[0].length;
      return { type: 'number', line, raw: m[0] };
    }
    for (const [word, node] of [
      ['true', { type: 'boolean', line, value: true }],
      ['false', { type: 'boolean', line, value: false }],
      ['null', { type: 'null', line }],
    ] as const) {
      if (this.src.startsWith(word, this.pos)) {
        this.pos += word.length;
        return node;
      }
    }
    if (ch !== undefined && word(this.src, this.pos) !== '') {
      this.fail(`无法识别的内容“${word(this.src, this.pos)}”（文本须加双引号）`);
    }
    this.fail(`此处应为一个值，实际是“${ch ?? ''}”`);
  }

  private object(depth: number): ObjectNode {
    const node: ObjectNode = { type: 'object', line: this.line, entries: new Map(), duplicates: [] };
    this.pos++;
    this.skipSpace();
    if (this.src[this.pos] === '}') {
      this.pos++;
      return node;
    }
    for (;;) {
      this.skipSpace();
      if (this.src[this.pos] !== '"') this.fail('此处应为带双引号的字段名');
      const keyLine = this.line;
      const key = this.string();
      this.skipSpace();
      if (this.src[this.pos] !== ':') this.fail(`字段“${key}”后应为冒号`);
      this.pos++;
      this.skipSpace();
      const value = this.value(depth + 1);
      if (node.entries.has(key)) node.duplicates.push({ key, line: keyLine });
      else node.entries.set(key, value);
      this.skipSpace();
      const next = this.src[this.pos];
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === '}') {
        this.pos++;
        return node;
      }
      this.fail('对象中的字段之间应为逗号，或以 } 结束');
    }
  }

  private array(depth: number): JsonNode {
    const node: JsonNode = { type: 'array', line: this.line, items: [] };
    this.pos++;
    this.skipSpace();
    if (this.src[this.pos] === ']') {
      this.pos++;
      return node;
    }
    for (;;) {
      this.skipSpace();
      node.items.push(this.value(depth + 1));
      this.skipSpace();
      const next = this.src[this.pos];
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === ']') {
        this.pos++;
        return node;
      }
      this.fail('数组中的元素之间应为逗号，或以 ] 结束');
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.src.length) {
      const ch = this.src.charCodeAt(this.pos);
      if (ch === 0x22) {
        this.pos++;
        let value: string;
        try {
          value = JSON.parse(this.src.slice(start, this.pos)) as string;
        } catch {
          this.pos = start;
          this.fail('文本中有无效的转义序列');
        }
        if (hasLoneSurrogate(value)) {
          this.pos = start;
          this.fail('文本中有不成对的代理项（如单独的 \\uD800），不是有效的 Unicode 文本');
        }
        return value;
      }
      if (ch === 0x5c) this.pos += 2;
      else if (ch < 0x20) this.fail('文本中不能直接包含换行或控制字符（文本可能缺少结尾的双引号）');
      else this.pos++;
    }
    this.fail('文本缺少结尾的双引号');
  }
}

function word(src: string, pos: number): string {
  return /^[^\s,:{}[\]"]{1,20}/.exec(src.slice(pos, pos + 20))?.[0] ?? '';
}

/** How a problem names the type of a value. */
export const TYPE_NAMES: Record<JsonNode['type'], string> = {
  object: '对象',
  array: '数组',
  string: '文本',
  number: '数字',
  boolean: '布尔值',
  null: 'null',
};

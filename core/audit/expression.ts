// Identities between tables written as data: `T01.expenditure:total.total = T03.total.total`.
//
// An identity compares two sums of table cells with =, <=, >=, < or >. A cell is `<table>.<row>.<column>`
// (the row's key and the column's key as the table engine names them); a key that holds a dot, a space or any
// character besides letters, digits, "_", "-" and ":" is quoted: `T11."P.01".yearAmount`. `sum(T03.item:*.total)`
// adds a column over every row whose key matches the pattern (`*` stands for any characters). A number with its
// unit (`50万元`, `3000元`) or a bare 0 is a constant. Evaluation is exact, in 分; a row the table does not print
// counts as 0 (the engine prints a generated row only while lines are booked on it); an identity naming a table
// the budget's format does not have is not checked.
//
// Pure: no imports but types, so the publication format checker can parse the identities it ships.

export type Comparison = '=' | '<=' | '>=' | '<' | '>';

export interface CellRef {
  kind: 'cell';
  table: string;
  row: string;
  column: string;
}

export interface SumRef {
  kind: 'sum';
  table: string;
  /** Row key pattern; `*` matches any run of characters. */
  rows: string;
  column: string;
}

export interface Constant {
  kind: 'constant';
  /** 分. */
  fen: bigint;
  /** As written, for messages ("50万元"). */
  text: string;
}

export type Operand = CellRef | SumRef | Constant;

export interface Term {
  sign: 1 | -1;
  operand: Operand;
}

export interface Identity {
  left: Term[];
  op: Comparison;
  right: Term[];
  /** The expression as written. */
  text: string;
}

export type ParsedIdentity = { ok: true; identity: Identity } | { ok: false; message: string };

const TABLE_ID = /^[A-Z][A-Z0-9]{0,3}$/;
const BARE_KEY = /[A-Za-z0-9_:\-*\u4e00-\u9fff]/;
const FEN_PER: Record<string, bigint> = { 万元: 1_000_000n, 元: 100n };
const MAX_DECIMALS: Record<string, number> = { 万元: 6, 元: 2 };

class Reader {
  pos = 0;
  constructor(readonly src: string) {}
  skip(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }
  peek(): string {
    this.skip();
    return this.src[this.pos] ?? '';
  }
  eat(text: string): boolean {
    this.skip();
    if (this.src.startsWith(text, this.pos)) {
      this.pos += text.length;
      return true;
    }
    return false;
  }
  fail(message: string): never {
    throw new ExpressionError(`${message}（第 ${this.pos + 1} 个字符处）`);
  }
}

class ExpressionError extends Error {}

function readKey(r: Reader, what: string, allowPattern: boolean): string {
  r.skip();
  const start = r.pos;
  if (r.src[r.pos] === '"') {
    const end = r.src.indexOf('"', r.pos + 1);
    if (end < 0) r.fail(`${what}的引号没有结束`);
    const key = r.src.slice(r.pos + 1, end);
    if (key === '') r.fail(`${what}不能为空`);
    r.pos = end + 1;
    return key;
  }
  while (r.pos < r.src.length && BARE_KEY.test(r.src[r.pos]!)) r.pos++;
  const key = r.src.slice(start, r.pos);
  if (key === '') r.fail(`缺少${what}`);
  if (!allowPattern && key.includes('*')) r.fail(`${what}“${key}”中不能用 *（只有 sum(…) 的行可以用 * 匹配）`);
  return key;
}

function readTable(r: Reader): string {
  r.skip();
  const start = r.pos;
  while (r.pos < r.src.length && /[A-Z0-9]/.test(r.src[r.pos]!)) r.pos++;
  const id = r.src.slice(start, r.pos);
  if (!TABLE_ID.test(id)) r.fail(id === '' ? '缺少表号（如 T03）' : `“${id}”不是表号（如 T03）`);
  return id;
}

function readRef(r: Reader, inSum: boolean): { table: string; row: string; column: string } {
  const table = readTable(r);
  if (!r.eat('.')) r.fail(`表号 ${table} 后应为“.行键.列键”`);
  const row = readKey(r, '行键', inSum);
  if (!r.eat('.')) r.fail(`行键“${row}”后应为“.列键”`);
  const column = readKey(r, '列键', false);
  return { table, row, column };
}

function readConstant(r: Reader): Constant {
  r.skip();
  const m = /^(\d+)(?:\.(\d+))?(万元|元)?/.exec(r.src.slice(r.pos));
  if (!m) r.fail('应为单元格、sum(…) 或金额');
  const [text, whole, frac = '', unit] = m;
  if (!unit) {
    if (whole !== '0' || frac.replace(/0/g, '') !== '') r.fail(`金额“${text}”应写明单位（万元或元），如 50万元`);
    r.pos += text.length;
    return { kind: 'constant', fen: 0n, text: '0' };
  }
  if (frac.length > MAX_DECIMALS[unit]!) r.fail(`金额“${text}”的小数位数过多（以${unit}为单位最多 ${MAX_DECIMALS[unit]} 位）`);
  r.pos += text.length;
  const fen = BigInt(whole!) * FEN_PER[unit]! + BigInt(frac.padEnd(MAX_DECIMALS[unit]!, '0') || '0');
  return { kind: 'constant', fen, text };
}

function readOperand(r: Reader): Operand {
  r.skip();
  if (r.src.startsWith('sum', r.pos) && /^sum\s*\(/.test(r.src.slice(r.pos))) {
    r.pos += 3;
    r.eat('(');
    const ref = readRef(r, true);
    if (!r.eat(')')) r.fail('sum(…) 缺少右括号');
    return { kind: 'sum', table: ref.table, rows: ref.row, column: ref.column };
  }
  if (/[A-Z]/.test(r.peek())) return { kind: 'cell', ...readRef(r, false) };
  return readConstant(r);
}

function readSide(r: Reader): Term[] {
  const terms: Term[] = [];
  let sign: 1 | -1 = r.eat('-') ? -1 : 1;
  for (;;) {
    terms.push({ sign, operand: readOperand(r) });
    if (r.eat('+')) sign = 1;
    else if (r.eat('-')) sign = -1;
    else return terms;
  }
}

function readComparison(r: Reader): Comparison {
  for (const [text, op] of [
    ['<=', '<='],
    ['>=', '>='],
    ['≤', '<='],
    ['≥', '>='],
    ['==', '='],
    ['=', '='],
    ['<', '<'],
    ['>', '>'],
  ] as const) {
    if (r.eat(text)) return op;
  }
  r.fail('应为比较符（=、<=、>=、<、>）');
}

/** Reads an identity; the message says what is wrong and where, in Chinese. */
export function parseIdentity(text: string): ParsedIdentity {
  const src = text.normalize('NFKC');
  const r = new Reader(src);
  try {
    if (src.trim() === '') r.fail('表达式为空');
    const left = readSide(r);
    const op = readComparison(r);
    const right = readSide(r);
    r.skip();
    if (r.pos < src.length) r.fail(`多出了“${src.slice(r.pos, r.pos + 20)}”`);
    if ([...left, ...right].every((t) => t.operand.kind === 'constant')) r.fail('表达式中没有单元格');
    return { ok: true, identity: { left, op, right, text } };
  } catch (err) {
    if (err instanceof ExpressionError) return { ok: false, message: err.message };
    throw err;
  }
}

/** The tables an identity reads. */
export function identityTables(identity: Identity): string[] {
  const out = new Set<string>();
  for (const t of [...identity.left, ...identity.right]) if (t.operand.kind !== 'constant') out.add(t.operand.table);
  return [...out];
}

/** What evaluation needs of the computed tables: a cell by table, row and column, and the rows' keys. */
export interface CellSource {
  hasTable(table: string): boolean;
  cell(table: string, row: string, column: string): bigint;
  rowKeys(table: string): Iterable<string>;
}

function patternTest(pattern: string): (key: string) => boolean {
  if (!pattern.includes('*')) return (key) => key === pattern;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (key) => re.test(key);
}

function operandValue(source: CellSource, o: Operand): bigint {
  if (o.kind === 'constant') return o.fen;
  if (o.kind === 'cell') return source.cell(o.table, o.row, o.column);
  const test = patternTest(o.rows);
  let sum = 0n;
  for (const key of source.rowKeys(o.table)) if (test(key)) sum += source.cell(o.table, key, o.column);
  return sum;
}

export function sideValue(source: CellSource, terms: readonly Term[]): bigint {
  let v = 0n;
  for (const t of terms) v += t.sign === 1 ? operandValue(source, t.operand) : -operandValue(source, t.operand);
  return v;
}

export interface IdentityResult {
  left: bigint;
  right: bigint;
  holds: boolean;
}

/** Evaluates an identity; null when it names a table the budget's format does not have. */
export function evaluateIdentity(source: CellSource, identity: Identity): IdentityResult | null {
  if (!identityTables(identity).every((t) => source.hasTable(t))) return null;
  const left = sideValue(source, identity.left);
  const right = sideValue(source, identity.right);
  const holds =
    identity.op === '='
      ? left === right
      : identity.op === '<='
        ? left <= right
        : identity.op === '>='
          ? left >= right
          : identity.op === '<'
            ? left < right
            : left > right;
  return { left, right, holds };
}

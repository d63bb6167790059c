// The command line: `npm run budget -- <command> …`. Everything the user may get wrong (arguments, files,
// contents) ends in one plain Chinese sentence on stderr and exit code 2; a refused input changes nothing.
//
// Exit codes: 0 done; 1 `check` found hard findings; 2 usage, file or input error; 3 internal error.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CODE_LIST_KIND_LABELS, parseCodeListCsv, type CodeBook, type CodeListKind } from '../core/codelists.js';
import { parseExchange, serializeExchange } from '../core/exchange.js';
import { decodeUtf8Text } from '../core/json-lines.js';
import type { Budget } from '../core/model.js';
import { formatProblem, type Problem } from '../core/problems.js';
import { SHIPPED_FORMATS } from '../core/tables/definitions.js';
import { defaultCodeBook } from '../db/defaults.js';
import {
  availableFormats,
  checkFormatFile,
  chooseFormat,
  chosenFormat,
  findFormat,
  storeUserFormat,
  unknownFormat,
} from '../db/publication-formats.js';
import { MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, isFiscalYear } from '../core/budget-fields.js';
import { importBudget } from '../db/import.js';
import { BudgetStore, type OpenOptions } from '../db/store.js';
import { acquireWriterLock, WRITER_LOCK_SUFFIX, type WriterLock } from '../db/writer-lock.js';
import { PACKAGE_USAGE, runPackageCommand, runReceiveCommand } from './package.js';
import {
  CommandUsageError,
  dbArgument,
  EXIT_FINDINGS,
  EXIT_INTERNAL,
  EXIT_OK,
  EXIT_USAGE,
  outputFormat,
  parseCommandArgs,
  reportCommandError,
  terminalSafe,
  type CommandArgs,
  type CommandIO,
} from './args.js';
import { LINES_USAGE, runLinesCommand } from './lines.js';
import { PRIOR_USAGE, runPriorCommand } from './prior.js';
import { PARAMS_USAGE, runParamsCommand } from './params.js';
import { budgetForTables, LOCK_USAGE, runDiffCommand, runStatusCommand, runUnlockCommand } from './lock.js';

export type CliIO = CommandIO;

export { EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE };

export const USAGE = `部门预算编制 命令行工具

用法：npm run budget -- <命令> [参数]

命令：
  import <交换文件.json> --db <预算文件> [--format-id <公开表格式>]
      导入预算交换文件（budget-exchange/1）。预算文件不存在时新建；已存在时替换其中的预算，保留科目表。
      文件有任何问题时列出全部问题，预算文件不作任何改动。--format-id 同时选定预算的公开表格式。
  export <交换文件.json> --db <预算文件>
      把预算文件中的预算导出为交换文件（文件名为 - 时输出到屏幕）。
  codes import <科目表.csv> --kind functional|economic [--year <年度>] --db <预算文件>
      把某年度的科目表载入预算文件（不存在时新建），新增科目并更正名称。
      CSV 表头为 code,name,level,parent_code（功能分类表可加 budget 列：一般公共预算、政府性基金预算、国有资本经营预算）。年度默认为预算文件中预算的年度。
  report <表号|all> --db <预算文件> [--format text|json] [--format-id <公开表格式>] [--own-only]
      计算并输出公开表格（表号如 T03，全国格式为 N1…N9），默认 text。部门预算文件中已接收下级单位数据包时
      输出汇总后的表格（每个单位一行，另有部门合计），--own-only 只算本部门自身的预算。
      按预算选定的公开表格式输出；--format-id 只为这一次输出换用另一种格式。
  formats list --db <预算文件>
      列出可用的公开表格式（内置的 henan-2020、national，以及载入预算文件的格式），标出预算选定的格式。
  formats import <格式文件.json> --db <预算文件>
      把公开表格式文件载入预算文件（格式见 README“Publication formats”）。文件有任何问题时列出全部问题，
      预算文件不作任何改动。
  formats use <格式编号> --db <预算文件>
      选定预算的公开表格式。
  check --db <预算文件> [--format text|json] [--own-only]
      审核预算（已接收下级单位数据包时审核汇总后的预算），列出发现的问题。
${PACKAGE_USAGE}${LOCK_USAGE}${LINES_USAGE}${PRIOR_USAGE}${PARAMS_USAGE}
退出码：0 成功；1 审核发现硬性问题（lines import-xlsx：部分行未能读取，其余已导入）；2 参数、文件或内容有误（未作改动）；3 程序内部错误。
`;

interface Parsed extends CommandArgs {
  help: boolean;
}

/** Every option of the commands parsed here; each command then says which of them it accepts. */
const VALUE_OPTIONS = ['db', 'kind', 'year', 'format', 'format-id'];
const FLAG_OPTIONS = ['own-only', 'help'];

function parseArgs(argv: string[]): Parsed {
  const args = parseCommandArgs(argv, VALUE_OPTIONS, FLAG_OPTIONS);
  const help = args.flags.delete('help') || args.positional.includes('-h');
  return { ...args, positional: args.positional.filter((a) => a !== '-h'), help };
}

function allowOnly(p: Parsed, command: string, allowed: string[], positionals: number): void {
  for (const name of [...p.values.keys(), ...p.flags]) {
    if (!allowed.includes(name)) throw new CommandUsageError(`命令 ${command} 不接受选项 --${name}`);
  }
  if (p.positional.length > positionals) {
    throw new CommandUsageError(`命令 ${command} 多出了参数“${p.positional[positionals]}”`);
  }
}

function dbPath(p: Parsed): string {
  const db = p.values.get('db');
  if (!db) throw new CommandUsageError('缺少 --db <预算文件>：请指定预算文件的路径');
  return resolve(db);
}

function readInputFile(file: string, what: string): string {
  if (!existsSync(file)) throw new CommandUsageError(`找不到${what}“${file}”`);
  if (statSync(file).isDirectory()) throw new CommandUsageError(`“${file}”是文件夹，不是${what}`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new CommandUsageError(`无法读取${what}“${file}”：${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const decoded = decodeUtf8Text(bytes);
  if (!decoded.ok) throw new CommandUsageError(`${what}“${file}”${decoded.message}，未导入`);
  return decoded.text;
}

function withStore<T>(file: string, options: OpenOptions, fn: (store: BudgetStore) => T): T {
  const store = BudgetStore.open(file, options);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

function loadStoredBudget(store: BudgetStore): Budget {
  if (!store.hasBudget()) {
    throw new CommandUsageError(`预算文件“${store.path}”中还没有预算，请先用 import 导入`);
  }
  return store.loadBudget();
}

// ---------------------------------------------------------------------------------------------------

/** An exchange file refused with its problems (thrown to roll back the upgrade of an older budget file). */
class RefusedExchangeFile extends Error {
  constructor(readonly problems: Problem[]) {
    super('refused exchange file');
  }
}

function importCommand(p: Parsed, io: CliIO): number {
  allowOnly(p, 'import', ['db', 'format-id'], 1);
  const formatId = p.values.get('format-id');
  const input = p.positional[0];
  if (!input) throw new CommandUsageError('缺少要导入的交换文件：import <交换文件.json> --db <预算文件>');
  const db = dbPath(p);
  const inputFile = resolve(input);
  const text = readInputFile(inputFile, '交换文件');
  const checked = (bookFor: (year: number) => CodeBook) => {
    const parsed = parseExchange(text, bookFor);
    if (!parsed.ok) throw new RefusedExchangeFile(parsed.problems);
    return parsed;
  };
  let imported: ReturnType<typeof checked>;
  try {
    if (existsSync(db)) {
      // Checked against the file's own code lists (loaded lists included) before anything is written; a file of
      // an older app is upgraded only together with the import, so a refusal leaves it as it was.
      imported = withStore(db, { upgrade: false }, (store) => {
        const parsed = checked((year) => store.codeBook(year));
        if (formatId !== undefined && !findFormat(store, formatId)) throw unknownFormat(store, formatId);
        // The same steps as the app's 导入交换文件: backup, budget replaced, history and wizard state cleared.
        importBudget(store, parsed.budget, formatId !== undefined ? { formatId } : {});
        return parsed;
      });
    } else {
      // A new file would hold the shipped lists: check against them before creating it.
      const parsed = checked(defaultCodeBook);
      if (formatId !== undefined && !SHIPPED_FORMATS.has(formatId)) {
        throw new CommandUsageError(`没有公开表格式“${formatId}”。可用的格式：${[...SHIPPED_FORMATS.keys()].join('、')}`);
      }
      try {
        withStore(db, { create: true }, (store) => importBudget(store, parsed.budget, formatId !== undefined ? { formatId } : {}));
      } catch (err) {
        // The import failed (a full disk …): no schema-only file is left where the user asked for a budget.
        for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}-journal`]) rmSync(f, { force: true });
        throw err;
      }
      imported = parsed;
    }
  } catch (err) {
    if (!(err instanceof RefusedExchangeFile)) throw err;
    io.err(`“${input}”不是有效的预算交换文件，共 ${err.problems.length} 处问题，预算文件未作改动：\n`);
    for (const problem of err.problems) io.err(`  ${formatProblem(problem)}\n`);
    return EXIT_USAGE;
  }
  const { budget, warnings } = imported;
  for (const w of warnings) io.err(`提示：${formatProblem(w)}\n`);
  io.out(
    `已导入 ${budget.fiscalYear} 年“${budget.department.name}”的预算：${budget.units.length} 个单位、` +
      `${budget.lines.length} 条预算行、${budget.projects.length} 个项目 → ${db}\n`,
  );
  return EXIT_OK;
}

function exportCommand(p: Parsed, io: CliIO): number {
  allowOnly(p, 'export', ['db'], 1);
  const output = p.positional[0];
  if (!output) throw new CommandUsageError('缺少导出的目标文件：export <交换文件.json> --db <预算文件>');
  const db = dbPath(p);
  const text = withStore(db, {}, (store) => serializeExchange(loadStoredBudget(store)));
  if (output === '-') {
    io.out(text);
    return EXIT_OK;
  }
  const target = resolve(output);
  if (!existsSync(dirname(target))) throw new CommandUsageError(`无法写入“${output}”：所在文件夹不存在`);
  if (existsSync(target) && statSync(target).isDirectory()) throw new CommandUsageError(`“${output}”是文件夹，请给出文件名`);
  try {
    writeFileSync(target, text, 'utf8');
  } catch (err) {
    throw new CommandUsageError(`无法写入“${output}”：${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  io.out(`已导出到 ${target}\n`);
  return EXIT_OK;
}

function codesCommand(p: Parsed, io: CliIO): number {
  const sub = p.positional.shift();
  if (sub !== 'import') {
    throw new CommandUsageError(sub ? `codes 只有 import 子命令，不认识“${sub}”` : '缺少子命令：codes import <科目表.csv> --kind functional|economic --db <预算文件>');
  }
  allowOnly(p, 'codes import', ['db', 'kind', 'year'], 1);
  const input = p.positional[0];
  if (!input) throw new CommandUsageError('缺少科目表文件：codes import <科目表.csv> --kind functional|economic --db <预算文件>');
  const kind = p.values.get('kind');
  if (!kind) throw new CommandUsageError('缺少 --kind：functional（支出功能分类）或 economic（部门预算支出经济分类）');
  if (kind !== 'functional' && kind !== 'economic' && kind !== 'government-economic') {
    throw new CommandUsageError(`--kind 只能是 functional 或 economic，不能是“${kind}”`);
  }
  const yearText = p.values.get('year');
  let year: number | undefined;
  if (yearText !== undefined) {
    if (!/^\d{4}$/.test(yearText) || !isFiscalYear(Number(yearText))) {
      throw new CommandUsageError(`--year 应为 ${MIN_FISCAL_YEAR}–${MAX_FISCAL_YEAR} 之间的年度，不能是“${yearText}”`);
    }
    year = Number(yearText);
  }
  const db = dbPath(p);
  const text = readInputFile(resolve(input), '科目表');
  const parsed = parseCodeListCsv(text, kind as CodeListKind);
  if (!parsed.ok) {
    io.err(`“${input}”不是有效的${CODE_LIST_KIND_LABELS[kind as CodeListKind]}表，共 ${parsed.problems.length} 处问题，预算文件未作改动：\n`);
    for (const pr of parsed.problems) io.err(`  第 ${pr.line} 行${pr.field ? `（${pr.field}）` : ''}：${pr.message}\n`);
    return EXIT_USAGE;
  }
  const exists = existsSync(db);
  if (!exists && year === undefined) {
    throw new CommandUsageError(`预算文件“${db}”还不存在，无法确定年度，请用 --year 指定科目表的年度`);
  }
  // A file of an older app is upgraded only together with the list it takes (see import).
  return withStore(db, { create: true, upgrade: false }, (store) => {
    const { target, added, changed } = store.upgradeWith(() => {
      const target = year ?? (store.hasBudget() ? store.fiscalYear() : undefined);
      if (target === undefined) throw new CommandUsageError('预算文件中还没有预算，无法确定年度，请用 --year 指定科目表的年度');
      return { target, ...store.importCodeList(kind as CodeListKind, target, parsed.entries) };
    });
    io.out(
      `已载入 ${target} 年${CODE_LIST_KIND_LABELS[kind as CodeListKind]}（${parsed.entries.length} 个科目）：` +
        `新增 ${added} 个，修改 ${changed} 个\n`,
    );
    return EXIT_OK;
  });
}

async function reportCommand(p: Parsed, io: CliIO): Promise<number> {
  allowOnly(p, 'report', ['db', 'format', 'format-id', 'own-only'], 1);
  const which = p.positional[0];
  if (!which) throw new CommandUsageError('缺少表号：report <表号|all> --db <预算文件>');
  const fmt = outputFormat(p);
  const tables = await import('../core/tables/index.js');
  const wanted = which.toLowerCase() === 'all' ? null : which.toUpperCase();
  const db = dbPath(p);
  const computed = withStore(db, {}, (store) => {
    loadStoredBudget(store);
    const formatId = p.values.get('format-id');
    const format = formatId !== undefined ? findFormat(store, formatId) : chosenFormat(store);
    if (!format) throw unknownFormat(store, formatId!);
    if (wanted !== null && !format.tables.some((t) => t.id === wanted)) {
      throw new CommandUsageError(`公开表格式“${format.name}”中没有表“${which}”，表号应为 ${format.tables.map((t) => t.id).join('、')}，或 all`);
    }
    const { budget, book } = budgetForTables(store, p.flags.has('own-only'), io);
    return tables.computeTables(budget, book, format);
  });
  const chosen = wanted === null ? computed : computed.filter((t) => t.id === wanted);
  const rendered = fmt === 'json' ? tables.reportToJson(chosen) : tables.reportToText(chosen);
  const text = typeof rendered === 'string' ? rendered : JSON.stringify(rendered, null, 2);
  io.out(text.endsWith('\n') ? text : text + '\n');
  return EXIT_OK;
}

async function checkCommand(p: Parsed, io: CliIO): Promise<number> {
  allowOnly(p, 'check', ['db', 'format', 'own-only'], 0);
  const fmt = outputFormat(p);
  const [audit, tables, { auditConfigFor }] = await Promise.all([import('../core/audit/index.js'), import('../core/tables/index.js'), import('../db/params.js')]);
  const db = dbPath(p);
  const findings = withStore(db, {}, (store) => {
    loadStoredBudget(store);
    const { budget, book } = budgetForTables(store, p.flags.has('own-only'), io);
    // With the tables, the rules that compare published tables run too; with the file's rule set (levels,
    // parameters and 控制数 of the parameter package). The tables are the budget's format's, and 河南 2020's
    // besides, as the 上报 package checks them (submission/export.ts).
    const format = chosenFormat(store);
    const engine = new tables.TableEngine(budget, book, format);
    return audit.auditBudget(budget, book, engine.auditTables(), { ...auditConfigFor(store, format), documentTables: engine.referenceTables() });
  });
  const hard = findings.filter((f) => f.severity === 'hard').length;
  const soft = findings.length - hard;
  if (fmt === 'json') {
    io.out(JSON.stringify({ hard, soft, findings }, null, 2) + '\n');
  } else {
    for (const f of findings) {
      const place = Object.entries(f.place)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ');
      io.out(`[${f.severity === 'hard' ? '硬性' : '提示'}] ${f.rule}${place ? `（${place}）` : ''}：${f.message}\n`);
    }
    io.out(hard + soft === 0 ? '审核通过，没有发现问题。\n' : `共 ${hard} 个硬性问题、${soft} 个提示。\n`);
  }
  return hard > 0 ? EXIT_FINDINGS : EXIT_OK;
}

function formatsCommand(p: Parsed, io: CliIO): number {
  const sub = p.positional.shift();
  const db = () => dbPath(p);
  switch (sub) {
    case 'list': {
      allowOnly(p, 'formats list', ['db'], 0);
      return withStore(db(), {}, (store) => {
        const chosen = chosenFormat(store).id;
        for (const f of availableFormats(store)) {
          io.out(`${f.id === chosen ? '*' : ' '} ${f.id}  ${f.name}${f.builtin ? '' : '（载入）'}  ${f.format.tables.map((t) => t.id).join(' ')}\n`);
        }
        return EXIT_OK;
      });
    }
    case 'import': {
      allowOnly(p, 'formats import', ['db'], 1);
      const input = p.positional[0];
      if (!input) throw new CommandUsageError('缺少要载入的格式文件：formats import <格式文件.json> --db <预算文件>');
      const file = db();
      // The whole file is checked before the budget file is opened: a refused format changes nothing.
      const checked = checkFormatFile(readInputFile(resolve(input), '格式文件'));
      if (!checked.ok) {
        io.err(`“${input}”不是有效的公开表格式文件，共 ${checked.problems.length} 处问题，预算文件未作改动：\n`);
        for (const problem of checked.problems) io.err(`  ${formatProblem(problem)}\n`);
        return EXIT_USAGE;
      }
      withStore(file, {}, (store) => storeUserFormat(store, checked.format));
      io.out(`已载入公开表格式“${checked.format.name}”（${checked.format.id}，${checked.format.tables.length} 张表）→ ${file}\n`);
      return EXIT_OK;
    }
    case 'use': {
      allowOnly(p, 'formats use', ['db'], 1);
      const id = p.positional[0];
      if (!id) throw new CommandUsageError('缺少格式编号：formats use <格式编号> --db <预算文件>');
      const f = withStore(db(), {}, (store) => chooseFormat(store, id));
      io.out(`预算的公开表格式已选定为“${f.name}”（${f.id}）\n`);
      return EXIT_OK;
    }
    default:
      throw new CommandUsageError('formats 后应为 list、import 或 use，可用 --help 查看用法');
  }
}

/** Runs one command line; returns the exit code. Never throws. */
export async function run(argv: string[], terminal: CliIO): Promise<number> {
  // Messages name files and values from outside: their control characters are shown escaped.
  const io: CliIO = { out: terminal.out, err: (text) => terminal.err(terminalSafe(text)) };
  // A command that changes the budget file takes its writer lock first: a window (or another command) that has
  // it open would otherwise write its own older lines back over the change.
  const db =
    WRITING_COMMANDS.has(argv[0] ?? '') || (argv[0] === 'lines' && argv[1] === 'import-xlsx') || (argv[0] === 'params' && (argv[1] === 'import' || argv[1] === 'ceilings'))
      ? dbArgument(argv)
      : null;
  if (!db) return runCommand(argv, io);
  let lock: WriterLock;
  try {
    lock = acquireWriterLock(db, '命令行');
  } catch (err) {
    return reportCommandError(err, io);
  }
  try {
    return await runCommand(argv, io);
  } finally {
    lock.release();
    // No budget file came of it (a refused import into a new path): no companion file either.
    if (!existsSync(db)) rmSync(db + WRITER_LOCK_SUFFIX, { force: true });
  }
}

const WRITING_COMMANDS = new Set(['import', 'codes', 'formats', 'prior', 'package', 'receive', 'unlock']);

async function runCommand(argv: string[], io: CliIO): Promise<number> {
  // The submission package commands parse their own options (--out, --notes, --check-only …).
  if (argv[0] === 'package') return runPackageCommand(argv.slice(1), io);
  if (argv[0] === 'receive') return runReceiveCommand(argv.slice(1), io);
  // 上报 state and Excel line commands, likewise.
  if (argv[0] === 'status') return runStatusCommand(argv.slice(1), io);
  if (argv[0] === 'unlock') return runUnlockCommand(argv.slice(1), io);
  if (argv[0] === 'diff') return runDiffCommand(argv.slice(1), io);
  if (argv[0] === 'lines') return runLinesCommand(argv.slice(1), io);
  if (argv[0] === 'prior') return runPriorCommand(argv.slice(1), io);
  if (argv[0] === 'params') return runParamsCommand(argv.slice(1), io);
  try {
    const p = parseArgs(argv);
    const command = p.positional.shift();
    if (p.help || command === 'help') {
      io.out(USAGE);
      return EXIT_OK;
    }
    switch (command) {
      case 'import':
        return importCommand(p, io);
      case 'export':
        return exportCommand(p, io);
      case 'codes':
        return codesCommand(p, io);
      case 'report':
        return await reportCommand(p, io);
      case 'check':
        return await checkCommand(p, io);
      case 'formats':
        return formatsCommand(p, io);
      case undefined:
        throw new CommandUsageError('缺少命令，可用 --help 查看用法');
      default:
        throw new CommandUsageError(`不认识的命令“${command}”，可用 --help 查看用法`);
    }
  } catch (err) {
    return reportCommandError(err, io);
  }
}

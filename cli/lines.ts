// `lines export-xlsx` and `lines import-xlsx`: budget lines through an Excel workbook laid out as the template.
// Exit codes: 0 done; 1 imported, but some rows could not be read (listed); 2 usage, file or input error, or
// --strict with unreadable rows (nothing imported); 3 internal error.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { toExactString, type Fen } from '../core/money.js';
import { BudgetStore } from '../db/store.js';
import { exportLinesTemplate, importLinesIntoStore, LinesXlsxError, type RejectedRow } from '../submission/lines-xlsx.js';
import { CommandUsageError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, parseCommandArgs, reportCommandError, requiredPath, type CommandIO } from './args.js';

export const LINES_USAGE = `  lines export-xlsx <文件.xlsx> --db <预算文件>
      把预算行导出为 Excel 模板（“预算明细”表每行一条，“代码表”列出可用的科目、资金来源、单位和项目）。
  lines import-xlsx <文件.xlsx> --db <预算文件> [--append|--replace] [--strict]
      从按模板填写的 Excel 导入预算行：默认追加（--append），--replace 替换全部预算行。
      读不了的行逐行列出（行号、列、原因），其余行在一个事务中导入，退出码为 1；
      --strict 时只要有一行读不了就什么都不导入，退出码为 2。
`;

/** Some rows could not be read; the others were imported. */
const EXIT_PARTIAL = EXIT_FINDINGS;

function rejectedText(r: RejectedRow): string {
  return `  第 ${r.row} 行${r.column ? `（${r.column}${r.cell ? ` ${r.cell}` : ''}）` : ''}：${r.reason}\n`;
}

async function exportXlsx(target: string, dbPath: string, io: CommandIO): Promise<number> {
  if (!existsSync(dirname(target))) throw new CommandUsageError(`无法写入“${target}”：所在文件夹不存在`);
  if (existsSync(target) && statSync(target).isDirectory()) throw new CommandUsageError(`“${target}”是文件夹，请给出文件名`);
  if (!existsSync(dbPath)) throw new CommandUsageError(`找不到预算文件“${dbPath}”`);
  const store = BudgetStore.open(dbPath);
  let bytes: Buffer;
  let count: number;
  try {
    if (!store.hasBudget()) throw new CommandUsageError(`预算文件“${dbPath}”中还没有预算，请先用 import 导入`);
    const budget = store.loadBudget();
    bytes = await exportLinesTemplate(budget, store.codeBook(budget.fiscalYear));
    count = budget.lines.length;
  } finally {
    store.close();
  }
  try {
    writeFileSync(target, bytes);
  } catch (err) {
    throw new CommandUsageError(`无法写入“${target}”：${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  io.out(`已导出 ${count} 条预算行到 ${target}\n`);
  return EXIT_OK;
}

async function importXlsx(source: string, dbPath: string, mode: 'append' | 'replace', strict: boolean, io: CommandIO): Promise<number> {
  if (!existsSync(source)) throw new CommandUsageError(`找不到 Excel 文件“${source}”`);
  if (statSync(source).isDirectory()) throw new CommandUsageError(`“${source}”是文件夹，不是 Excel 文件`);
  if (!existsSync(dbPath)) throw new CommandUsageError(`找不到预算文件“${dbPath}”`);
  const bytes = readFileSync(source);
  const store = BudgetStore.open(dbPath, { upgrade: false });
  try {
    if (!store.hasBudget()) throw new CommandUsageError(`预算文件“${dbPath}”中还没有预算，请先用 import 导入`);
    const outcome = await importLinesIntoStore(store, bytes, { mode, strict });
    const { result } = outcome;
    const rejectedRows = new Set(result.rejected.map((r) => r.row)).size;
    if (result.rejected.length > 0) {
      io.err(`“${result.sheet}”表中有 ${rejectedRows} 行无法读取：\n`);
      for (const r of result.rejected) io.err(rejectedText(r));
    }
    if (!outcome.imported) {
      io.err(
        result.lines.length === 0
          ? '没有可以导入的预算行，预算文件未作改动。\n'
          : `使用了 --strict：有行无法读取，全部 ${result.lines.length + rejectedRows} 行都未导入，预算文件未作改动。\n`,
      );
      return EXIT_USAGE;
    }
    let total: Fen = 0n;
    for (const l of outcome.inserted) total += l.amount;
    const unit = store.loadBudget().amountUnit;
    io.out(
      `已从“${result.sheet}”表导入 ${outcome.inserted.length} 条预算行，合计 ${toExactString(total, unit)} ${unit}` +
        `${outcome.removed.length ? `（替换了原有的 ${outcome.removed.length} 条）` : ''}。\n`,
    );
    return result.rejected.length > 0 ? EXIT_PARTIAL : EXIT_OK;
  } finally {
    store.close();
  }
}

/** `lines export-xlsx|import-xlsx …`. */
export async function runLinesCommand(argv: string[], io: CommandIO): Promise<number> {
  try {
    const [sub, ...rest] = argv;
    if (sub === '--help' || sub === '-h' || sub === undefined) {
      if (sub === undefined) throw new CommandUsageError('缺少子命令：lines export-xlsx|import-xlsx <文件.xlsx> --db <预算文件>');
      io.out(LINES_USAGE);
      return EXIT_OK;
    }
    if (sub !== 'export-xlsx' && sub !== 'import-xlsx') throw new CommandUsageError(`lines 只有 export-xlsx 和 import-xlsx 子命令，不认识“${sub}”`);
    const a = parseCommandArgs(rest, ['db'], sub === 'import-xlsx' ? ['append', 'replace', 'strict'] : []);
    if (a.positional.length !== 1) {
      throw new CommandUsageError(a.positional.length === 0 ? `缺少 Excel 文件：lines ${sub} <文件.xlsx> --db <预算文件>` : `命令 lines ${sub} 多出了参数“${a.positional[1]}”`);
    }
    const file = resolve(a.positional[0]!);
    const db = requiredPath(a, 'db', '预算文件');
    if (sub === 'export-xlsx') return await exportXlsx(file, db, io);
    if (a.flags.has('append') && a.flags.has('replace')) throw new CommandUsageError('--append 和 --replace 只能选一个');
    return await importXlsx(file, db, a.flags.has('replace') ? 'replace' : 'append', a.flags.has('strict'), io);
  } catch (err) {
    return reportCommandError(err, io, [LinesXlsxError]);
  }
}

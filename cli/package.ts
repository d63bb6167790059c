// Command-line commands of the submission package, for `npm run budget -- package|receive …`.
// Same conventions as the rest of the CLI: Chinese messages on stderr, exit 0 done, 1 refused because of
// 审核 findings, 2 usage/file/input error (nothing changed), 3 internal error.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CodeBook } from '../core/codelists.js';
import { parseJson } from '../core/json-lines.js';
import { defaultCodeBook } from '../db/defaults.js';
import { findingKey, type FindingNote } from '../core/manifest.js';
import type { FindingPlace } from '../core/audit/types.js';
import { CommandUsageError, EXIT_FINDINGS, EXIT_OK, outputFormat, parseCommandArgs, reportCommandError, requiredPath, type CommandIO } from './args.js';
import { PackageError } from '../submission/errors.js';
import { exportPackage } from '../submission/export.js';
import { inspectPackage, receivePackage } from '../submission/receive.js';
import { operatorName } from '../submission/department.js';

/** The command line's IO (stdout, stderr). */
export type PackageCliIO = CommandIO;

export const PACKAGE_USAGE = `  package --db <预算文件> --out <文件夹> [--notes <说明文件.json>] [--own-only] [--by <操作人>]
      生成上报数据包（.zip，含 budget.json、各表 .xlsx（如 T03_部门支出总体情况表.xlsx）、tables.pdf 和 manifest.json），写入 --out 指定的
      文件夹（如 U 盘）。有审核错误时不生成；每个审核提示都要有情况说明：说明文件是 JSON 对象，
      键为提示的编号（缺少说明时会列出），值为说明文字。已接收下级单位数据包时上报汇总后的预算
      （--own-only 只上报本部门自身的）。生成并校验后预算即锁定，修改前须用 unlock 解锁；上报时间和操作人
      （默认为当前系统用户）记录在预算文件中。
  receive <数据包.zip> --db <部门预算文件> [--check-only] [--allow-older] [--format text|json]
      检查并接收下级单位的上报数据包，存入部门预算文件；同一单位再次接收时替换旧包并列出变化。
      --check-only 只检查不接收。
`;

/**
 * Reads a notes file: either an object { "<finding key>": "说明" } (the keys `package` lists when notes are
 * missing) or an array of { rule, place, note }.
 */
export function readNotesFile(file: string): FindingNote[] {
  if (!existsSync(file)) throw new CommandUsageError(`找不到说明文件“${file}”`);
  const json = parseJson(readFileSync(file, 'utf8'));
  if (!json.ok) throw new CommandUsageError(`说明文件“${file}”${json.message}`);
  const doc = json.value;
  if (Array.isArray(doc)) {
    return doc.map((n, i) => {
      const x = n as { rule?: unknown; place?: unknown; note?: unknown };
      if (typeof x.rule !== 'string' || typeof x.note !== 'string' || typeof x.place !== 'object' || x.place === null) {
        throw new CommandUsageError(`说明文件第 ${i + 1} 项应为 { rule, place, note }`);
      }
      return { rule: x.rule, place: x.place as FindingPlace, note: x.note };
    });
  }
  if (typeof doc !== 'object' || doc === null) throw new CommandUsageError('说明文件应为 JSON 对象或数组');
  const out: FindingNote[] = [];
  for (const [key, note] of Object.entries(doc as Record<string, unknown>)) {
    if (typeof note !== 'string') throw new CommandUsageError(`说明文件中“${key}”的说明应为文字`);
    const at = key.indexOf('@');
    const rule = at >= 0 ? key.slice(0, at) : key;
    const place: FindingPlace = {};
    for (const part of (at >= 0 ? key.slice(at + 1) : '').split(';').filter(Boolean)) {
      const [k, v = ''] = part.split('=');
      if (k === 'line' || k === 'indicator') place[k] = Number(v);
      else if (k === 'table' || k === 'row' || k === 'project' || k === 'field') place[k] = v;
    }
    out.push({ rule, place, note });
  }
  return out;
}

function report(err: unknown, io: PackageCliIO): number {
  if (err instanceof PackageError && (err.code === 'audit-hard' || err.code === 'notes-missing')) {
    io.err(err.message + '\n');
    return EXIT_FINDINGS;
  }
  return reportCommandError(err, io, [PackageError]);
}

/** `package --db <file> --out <folder> [--notes <file>]`. */
export async function runPackageCommand(argv: string[], io: PackageCliIO): Promise<number> {
  try {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.out(PACKAGE_USAGE);
      return EXIT_OK;
    }
    const a = parseCommandArgs(argv, ['db', 'out', 'notes', 'by'], ['own-only']);
    if (a.positional.length > 0) throw new CommandUsageError(`命令 package 多出了参数“${a.positional[0]}”`);
    const dbPath = requiredPath(a, 'db', '预算文件');
    if (!existsSync(dbPath)) throw new CommandUsageError(`找不到预算文件“${dbPath}”`);
    const outDir = requiredPath(a, 'out', '文件夹');
    const notesFile = a.values.get('notes');
    const notes = notesFile ? readNotesFile(resolve(notesFile)) : [];
    try {
      const r = await exportPackage({ dbPath, outDir, notes, ownOnly: a.flags.has('own-only'), by: a.values.get('by') ?? operatorName() });
      io.out(`已生成上报数据包：${r.file}\n`);
      io.out(`  ${r.manifest.fiscalYear} 年 ${r.manifest.department.code} ${r.manifest.department.name}，支出总计 ${r.manifest.totals.expenditure} ${r.manifest.totals.unit}\n`);
      io.out(`  ${r.manifest.files.length + 1} 个文件已逐一校验；审核提示 ${r.manifest.audit.soft} 个，均已附情况说明。\n`);
      if (r.consolidated) io.out(`  汇总了 ${r.manifest.units.length} 个单位的预算。\n`);
      if (r.submission) io.out('  预算已锁定（已上报）；如需修改，请先解锁：unlock --db <预算文件> --reason "<原因>"\n');
      return EXIT_OK;
    } catch (err) {
      if (err instanceof PackageError && err.code === 'notes-missing') {
        io.err(`${err.message.split('\n')[0]}\n`);
        io.err('请在说明文件（JSON 对象）中为下列编号填写说明，再用 --notes 指定该文件：\n');
        // The keys are what the notes file uses; repeat them with the messages.
        for (const line of err.details) io.err(`  - ${line}\n`);
        return EXIT_FINDINGS;
      }
      throw err;
    }
  } catch (err) {
    return report(err, io);
  }
}

/** `receive <zip> --db <department file> [--check-only] [--allow-older] [--format text|json]`. */
export async function runReceiveCommand(argv: string[], io: PackageCliIO): Promise<number> {
  try {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.out(PACKAGE_USAGE);
      return EXIT_OK;
    }
    const a = parseCommandArgs(argv, ['db', 'format'], ['check-only', 'allow-older']);
    if (a.positional.length !== 1) throw new CommandUsageError(a.positional.length === 0 ? '缺少 <数据包.zip>' : `命令 receive 多出了参数“${a.positional[1]}”`);
    const zipPath = resolve(a.positional[0]!);
    const format = outputFormat(a);
    if (a.flags.has('check-only')) {
      const dbPath = a.values.get('db');
      let fiscalYear: number | undefined;
      let book: CodeBook | undefined;
      if (dbPath) {
        const { BudgetStore } = await import('../db/store.js');
        // Only read (a check must not upgrade a file of an older app), against the code lists receive would use.
        const store = BudgetStore.open(resolve(dbPath), { upgrade: false });
        try {
          if (store.hasBudget()) {
            fiscalYear = store.fiscalYear();
            book = store.codeBook(fiscalYear);
          }
        } finally {
          store.close();
        }
      }
      const p = await inspectPackage(zipPath, { fiscalYear, bookFor: (year) => (year === book?.year ? book : defaultCodeBook(year)) });
      if (format === 'json') io.out(JSON.stringify({ manifest: p.manifest, sha256: p.sha256 }, null, 2) + '\n');
      else io.out(`数据包检查通过：${p.manifest.fiscalYear} 年 ${p.manifest.department.code} ${p.manifest.department.name}，生成于 ${p.manifest.createdAt}，支出总计 ${p.manifest.totals.expenditure} ${p.manifest.totals.unit}，公开表格式 ${p.format.name}\n`);
      return EXIT_OK;
    }
    const dbPath = requiredPath(a, 'db', '部门预算文件');
    const r = await receivePackage({ zipPath, dbPath, allowOlder: a.flags.has('allow-older') });
    if (format === 'json') {
      io.out(JSON.stringify(r, null, 2) + '\n');
      return EXIT_OK;
    }
    io.out(`已接收 ${r.unit.code} ${r.unit.name} 的 ${r.unit.fiscalYear} 年预算（生成于 ${r.unit.createdAt}）。\n`);
    if (r.diff.previous) {
      io.out(`替换了 ${r.diff.previous.createdAt} 生成的旧数据包，变化 ${r.diff.lines.length} 行、表格单元格 ${r.diff.cells.length} 个：\n`);
      for (const c of r.diff.cells.slice(0, 50)) {
        io.out(`  ${c.table} ${c.rowLabel} / ${c.columnLabel}：${c.before} → ${c.after} ${c.unit}\n`);
      }
      if (r.diff.cells.length > 50) io.out(`  ……另有 ${r.diff.cells.length - 50} 个单元格\n`);
    }
    return EXIT_OK;
  } catch (err) {
    return report(err, io);
  }
}

export { findingKey };

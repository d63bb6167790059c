// `params import <参数包.zip> --db <预算文件>` and `params export --out <文件或文件夹> --db <预算文件>`: the finance
// bureau's yearly parameter package (budget-params/1) into a budget file, and a department's settings out as one
// for its units. A package that fails any check is refused and the budget file is left byte for byte as it was.
import { existsSync, readFileSync, statSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { BudgetStore } from '../db/store.js';
import { PackageError } from '../submission/errors.js';
import { CommandUsageError, EXIT_OK, parseCommandArgs, reportCommandError, requiredPath, type CommandIO } from './args.js';
import { previewSections, type ParamsPreview } from '../db/params.js';

export const PARAMS_USAGE = `  params import <年度参数包.zip> --db <预算文件>
      导入财政部门（或主管部门）下达的年度参数包（budget-params/1）：科目表、公开表格式、审核规则及其级别和
      参数、控制数。先像接收上报数据包一样校验全部文件，列出将要改变的设置；参数包有任何问题时预算文件不作改动。
  params ceilings <控制数.csv> --db <预算文件>
      载入各单位的控制数（CSV 表头 unit,fund_group,kind,project,amount：单位编码、资金来源 一般公共预算/
      政府性基金预算/国有资本经营预算、支出类型 基本支出/项目支出、单列的项目编码（可空）、金额，以预算的
      金额单位计），替换表中各单位原有的控制数；有任何问题时预算文件不作改动。
  params export --out <文件.zip|文件夹> --db <预算文件> [--authority <下达单位名称>] [--authority-code <编码>] [--note <说明>]
      把本预算文件的全部参数（科目表、审核规则、控制数、公开表格式）导出为年度参数包，供下级单位导入。
`;

const ZIP_MAX = 32 * 1024 * 1024;

export async function runParamsCommand(argv: string[], io: CommandIO): Promise<number> {
  try {
    const [sub, ...rest] = argv;
    if (sub === '--help' || sub === '-h' || sub === undefined) {
      if (sub === undefined) throw new CommandUsageError('缺少子命令：params import <年度参数包.zip> --db <预算文件>，或 params export --out <文件> --db <预算文件>');
      io.out(PARAMS_USAGE);
      return EXIT_OK;
    }
    if (sub === 'import') return await importCommand(rest, io);
    if (sub === 'export') return await exportCommand(rest, io);
    if (sub === 'ceilings') return await ceilingsCommand(rest, io);
    throw new CommandUsageError(`params 只有 import、ceilings 和 export 子命令，不认识“${sub}”`);
  } catch (err) {
    return reportCommandError(err, io, [PackageError]);
  }
}

async function importCommand(argv: string[], io: CommandIO): Promise<number> {
  const a = parseCommandArgs(argv, ['db'], []);
  if (a.positional.length !== 1) {
    throw new CommandUsageError(a.positional.length === 0 ? '缺少参数包文件：params import <年度参数包.zip> --db <预算文件>' : `命令 params import 多出了参数“${a.positional[1]}”`);
  }
  const source = resolve(a.positional[0]!);
  const db = requiredPath(a, 'db', '预算文件');
  if (!existsSync(source)) throw new CommandUsageError(`找不到文件“${a.positional[0]}”`);
  if (statSync(source).isDirectory()) throw new CommandUsageError(`“${a.positional[0]}”是文件夹，不是参数包`);
  if (statSync(source).size > ZIP_MAX) throw new PackageError('too-large', `参数包文件过大（${statSync(source).size} 字节），已拒绝`);
  if (!existsSync(db)) throw new CommandUsageError(`找不到预算文件“${db}”`);
  const bytes = readFileSync(source);
  // Loaded here: the zip reader is not needed by the other commands.
  const { readParamsPackage } = await import('../submission/params-package.js');
  const { importParams, previewParams } = await import('../db/params.js');
  const pkg = await readParamsPackage(bytes);
  const store = BudgetStore.open(db, { upgrade: false });
  try {
    if (!store.hasBudget()) throw new CommandUsageError(`预算文件“${db}”中还没有预算，请先用 import 导入`);
    const checked = previewParams(store, pkg);
    if (!checked.ok) {
      io.err(`年度参数包“${basename(source)}”不能导入，预算文件未作改动：\n`);
      for (const p of checked.problems) io.err(`  ${p}\n`);
      return 2;
    }
    store.backup('params');
    const manifestJson = JSON.stringify(pkg.manifest);
    // A file of an older app is upgraded only together with the settings it takes.
    const preview = store.upgradeWith(() => importParams(store, pkg, { fileName: basename(source), manifestJson }));
    io.out(`已导入 ${pkg.manifest.authority.name} 下达的 ${preview.fiscalYear} 年度参数包“${basename(source)}” → ${db}\n`);
    io.out(describePreview(preview));
    return EXIT_OK;
  } finally {
    store.close();
  }
}

/** What a package changed, one line each, for the terminal. */
export function describePreview(p: ParamsPreview): string {
  if (p.unchanged) return '  参数包与预算文件中的设置相同，没有改变任何设置。\n';
  return previewSections(p).flatMap((sec) => [`  ${sec.title}：`, ...sec.lines.map((l) => `    ${l}`)]).join('\n') + '\n';
}

async function ceilingsCommand(argv: string[], io: CommandIO): Promise<number> {
  const a = parseCommandArgs(argv, ['db'], []);
  if (a.positional.length !== 1) {
    throw new CommandUsageError(a.positional.length === 0 ? '缺少控制数文件：params ceilings <控制数.csv> --db <预算文件>' : `命令 params ceilings 多出了参数“${a.positional[1]}”`);
  }
  const source = resolve(a.positional[0]!);
  const db = requiredPath(a, 'db', '预算文件');
  if (!existsSync(source) || statSync(source).isDirectory()) throw new CommandUsageError(`找不到控制数文件“${a.positional[0]}”`);
  if (!existsSync(db)) throw new CommandUsageError(`找不到预算文件“${db}”`);
  const bytes = readFileSync(source);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Saved by Excel or WPS as “CSV（逗号分隔）” on a Chinese system.
    text = new TextDecoder('gb18030').decode(bytes);
  }
  const { parseCeilingsCsv } = await import('../core/params/package.js');
  const { replaceCeilings } = await import('../db/params.js');
  const store = BudgetStore.open(db, { upgrade: false });
  try {
    if (!store.hasBudget()) throw new CommandUsageError(`预算文件“${db}”中还没有预算，请先用 import 导入`);
    const unit = store.loadBudget().amountUnit;
    const parsed = parseCeilingsCsv(text, unit);
    if (!parsed.ok) {
      io.err(`“${a.positional[0]}”不是有效的控制数表，共 ${parsed.problems.length} 处问题，预算文件未作改动：\n`);
      for (const p of parsed.problems) io.err(`  第 ${p.line} 行${p.field ? `（${p.field}）` : ''}：${p.message}\n`);
      return 2;
    }
    store.upgradeWith(() => replaceCeilings(store, parsed.ceilings));
    const units = new Set(parsed.ceilings.map((c) => c.unit));
    io.out(`已载入 ${units.size} 个单位的 ${parsed.ceilings.length} 个控制数 → ${db}\n`);
    return EXIT_OK;
  } finally {
    store.close();
  }
}

async function exportCommand(argv: string[], io: CommandIO): Promise<number> {
  const a = parseCommandArgs(argv, ['db', 'out', 'authority', 'authority-code', 'note'], []);
  if (a.positional.length > 0) throw new CommandUsageError(`命令 params export 多出了参数“${a.positional[0]}”`);
  const db = requiredPath(a, 'db', '预算文件');
  const out = requiredPath(a, 'out', '文件或文件夹');
  if (!existsSync(db)) throw new CommandUsageError(`找不到预算文件“${db}”`);
  const { paramsForExport } = await import('../db/params.js');
  const { buildParamsPackage, paramsFileName, readParamsPackage } = await import('../submission/params-package.js');
  const { appInfo } = await import('../submission/export.js');
  const store = BudgetStore.open(db, { upgrade: false });
  let exported;
  try {
    exported = paramsForExport(store);
  } finally {
    store.close();
  }
  const authority = { code: a.values.get('authority-code') ?? exported.department.code, name: a.values.get('authority') ?? exported.department.name };
  const note = a.values.get('note');
  const built = await buildParamsPackage({
    fiscalYear: exported.fiscalYear,
    authority,
    ...(note ? { note } : {}),
    params: exported.params,
    codeLists: exported.codeLists,
    formats: exported.formats,
    app: appInfo(),
    now: new Date(),
  });
  // Read back as a unit will before it is handed out.
  await readParamsPackage(built.bytes);
  const target = existsSync(out) && statSync(out).isDirectory() ? join(out, paramsFileName(exported.fiscalYear, authority.name)) : out;
  const temp = `${target}.partial`;
  try {
    writeFileSync(temp, built.bytes);
    renameSync(temp, target);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new CommandUsageError(`无法写入“${target}”：${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const p = exported.params;
  io.out(
    `已导出 ${exported.fiscalYear} 年度参数包 → ${target}\n` +
      `  审核规则 ${Object.keys(p.rules ?? {}).length} 条（其中数据规则 ${(p.identities ?? []).length} 条），控制数 ${(p.ceilings ?? []).length} 个，` +
      `科目表 ${exported.codeLists.map((l) => l.entries.length).join('/')} 个科目，公开表格式 ${p.format}\n`,
  );
  return EXIT_OK;
}

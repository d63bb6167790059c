// `prior import <file> --db <预算文件>`: last year's figures from last year's exchange file or 上报 package.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { toExactString } from '../core/money.js';
import { BudgetStore } from '../db/store.js';
import { PackageError } from '../submission/errors.js';
import { CommandUsageError, EXIT_OK, parseCommandArgs, reportCommandError, requiredPath, type CommandIO } from './args.js';

export const PRIOR_USAGE = `  prior import <上年交换文件.json|上年数据包.zip> --db <预算文件>
      从上年的预算交换文件或上报数据包取上年数（收支总计、基本/项目支出、功能分类类款项、经济分类款、
      “三公”经费分项、机关运行经费），替换预算文件中的上年数；上年填写的变动原因作为本年填写的起点。
      文件有问题时预算文件不作改动。
`;

export async function runPriorCommand(argv: string[], io: CommandIO): Promise<number> {
  try {
    const [sub, ...rest] = argv;
    if (sub === '--help' || sub === '-h') {
      io.out(PRIOR_USAGE);
      return EXIT_OK;
    }
    if (sub !== 'import') throw new CommandUsageError(sub ? `prior 只有 import 子命令，不认识“${sub}”` : '缺少子命令：prior import <上年文件> --db <预算文件>');
    const a = parseCommandArgs(rest, ['db'], []);
    if (a.positional.length !== 1) {
      throw new CommandUsageError(a.positional.length === 0 ? '缺少上年文件：prior import <上年交换文件.json|上年数据包.zip> --db <预算文件>' : `命令 prior import 多出了参数“${a.positional[1]}”`);
    }
    const source = resolve(a.positional[0]!);
    const db = requiredPath(a, 'db', '预算文件');
    if (!existsSync(source)) throw new CommandUsageError(`找不到文件“${a.positional[0]}”`);
    if (statSync(source).isDirectory()) throw new CommandUsageError(`“${a.positional[0]}”是文件夹，不是文件`);
    if (!existsSync(db)) throw new CommandUsageError(`找不到预算文件“${db}”`);
    const bytes = readFileSync(source);
    const store = BudgetStore.open(db, { upgrade: false });
    try {
      if (!store.hasBudget()) throw new CommandUsageError(`预算文件“${db}”中还没有预算，请先用 import 导入`);
      // Loaded here: the package reader is not needed by the other commands.
      const { readPriorSource } = await import('../submission/prior-import.js');
      const { budget, priorYear, kind } = await readPriorSource(bytes, store.fiscalYear(), (y) => store.codeBook(y));
      // A file of an older app is upgraded only together with the figures it takes. Last year's reasons for
      // large changes come along as this year's starting texts.
      const { carryChangeReasons } = await import('../db/params.js');
      const carried = store.upgradeWith(() => {
        store.setPriorYear(priorYear);
        return carryChangeReasons(store, budget.changeReasons ?? {});
      });
      const unit = store.loadBudget().amountUnit;
      const money = (v: bigint | undefined) => `${toExactString(v ?? 0n, unit)}${unit}`;
      io.out(
        `已从${kind === 'package' ? '上报数据包' : '交换文件'}取 ${budget.fiscalYear} 年“${budget.department.name}”的上年数：` +
          `收支总计 ${money(priorYear.total)}，“三公”经费 ${money(priorYear.threePublic)}，` +
          `功能分类 ${Object.keys(priorYear.functional ?? {}).length} 个科目，经济分类 ${Object.keys(priorYear.economic ?? {}).length} 个科目` +
          `${carried > 0 ? `，上年变动原因 ${carried} 条（作为本年填写的起点）` : ''} → ${db}\n`,
      );
      return EXIT_OK;
    } finally {
      store.close();
    }
  } catch (err) {
    return reportCommandError(err, io, [PackageError]);
  }
}

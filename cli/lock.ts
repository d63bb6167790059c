// Commands about a budget's 上报 state: `status` (locked? last submission, the lock's history, received
// units), `unlock` (an explicit, recorded act) and `diff` (what changed since the last submission).
// Exit codes as everywhere: 0 done; 2 usage, file or state error (nothing changed); 3 internal error.
import { existsSync } from 'node:fs';
import type { BudgetDiff, FieldChange, LineDiff } from '../core/diff.js';
import { fundLabel, isFundCode } from '../core/funds.js';
import { BudgetStore } from '../db/store.js';
import { diffSinceSubmission, operatorName, submissionStatus, tablesBudget, type ConsolidatedBudget } from '../submission/department.js';
import { CommandUsageError, EXIT_OK, outputFormat, parseCommandArgs, reportCommandError, requiredPath, type CommandIO } from './args.js';

export const LOCK_USAGE = `  status --db <预算文件> [--format text|json]
      显示预算是否已上报锁定、最近一次上报、上报与解锁记录，以及已接收的下级单位数据包。
  unlock --db <预算文件> --reason "<原因>" [--by <操作人>]
      解锁已上报的预算以便修改；原因、时间和操作人会记录在预算文件中。
  diff --db <预算文件> [--own-only] [--format text|json]
      列出自最近一次上报以来的变化：预算行（新增、删除、逐字段修改）、项目、单位和各表单元格。
`;

function openExisting(path: string): BudgetStore {
  if (!existsSync(path)) throw new CommandUsageError(`找不到预算文件“${path}”`);
  const store = BudgetStore.open(path);
  if (!store.hasBudget()) {
    store.close();
    throw new CommandUsageError(`预算文件“${path}”中还没有预算，请先用 import 导入`);
  }
  return store;
}

/**
 * The budget the tables of a department file are computed from (report, check): see tablesBudget; its
 * warnings are written to `io.err`.
 */
export function budgetForTables(store: BudgetStore, ownOnly: boolean, io: CommandIO): ConsolidatedBudget {
  const loaded = tablesBudget(store, ownOnly);
  for (const w of loaded.problems) io.err(`提示：${w.message}\n`);
  return loaded;
}

// ---------------------------------------------------------------------------------------------------

export function runStatusCommand(argv: string[], io: CommandIO): number {
  try {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.out(LOCK_USAGE);
      return EXIT_OK;
    }
    const a = parseCommandArgs(argv, ['db', 'format'], []);
    if (a.positional.length > 0) throw new CommandUsageError(`命令 status 多出了参数“${a.positional[0]}”`);
    const format = outputFormat(a);
    const store = openExisting(requiredPath(a, 'db', '预算文件'));
    try {
      const s = submissionStatus(store);
      if (format === 'json') {
        io.out(JSON.stringify(s, null, 2) + '\n');
        return EXIT_OK;
      }
      io.out(s.locked ? `预算已上报并锁定（${s.lockedAt}），修改前须先解锁。\n` : '预算未锁定，可以修改。\n');
      if (s.lastSubmission) {
        const m = s.lastSubmission.manifest;
        io.out(
          `最近一次上报：${s.lastSubmission.createdAt}，数据包 ${s.lastSubmission.fileName}，支出总计 ${m.totals.expenditure} ${m.totals.unit}` +
            `${s.lastSubmission.consolidated ? `（汇总 ${m.units.length} 个单位）` : ''}\n`,
        );
      } else io.out('尚未上报过。\n');
      if (s.events.length > 0) {
        io.out('上报与解锁记录：\n');
        for (const e of s.events) {
          const who = e.by ? `，操作人 ${e.by}` : '';
          io.out(e.event === 'submitted' ? `  ${e.at}  上报并锁定${who}\n` : `  ${e.at}  解锁${who}，原因：${e.reason}\n`);
        }
      }
      if (s.received.length > 0) {
        io.out(`已接收下级单位数据包 ${s.received.length} 个：\n`);
        for (const r of s.received) io.out(`  ${r.code} ${r.name}，生成于 ${r.createdAt}，接收于 ${r.receivedAt}\n`);
      }
      return EXIT_OK;
    } finally {
      store.close();
    }
  } catch (err) {
    return reportCommandError(err, io);
  }
}

export function runUnlockCommand(argv: string[], io: CommandIO): number {
  try {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.out(LOCK_USAGE);
      return EXIT_OK;
    }
    const a = parseCommandArgs(argv, ['db', 'reason', 'by'], []);
    if (a.positional.length > 0) throw new CommandUsageError(`命令 unlock 多出了参数“${a.positional[0]}”`);
    const path = requiredPath(a, 'db', '预算文件');
    const reason = a.values.get('reason');
    if (!reason || reason.trim() === '') throw new CommandUsageError('解锁必须说明原因：unlock --db <预算文件> --reason "<原因>"');
    const store = openExisting(path);
    try {
      const event = store.unlock(reason, { by: a.values.get('by') ?? operatorName() });
      io.out(`已解锁预算，可以修改（${event.at}，原因：${event.reason}）。再次上报时会重新锁定。\n`);
      return EXIT_OK;
    } finally {
      store.close();
    }
  } catch (err) {
    return reportCommandError(err, io);
  }
}

const CHANGE_TEXT = { added: '新增', removed: '删除', changed: '修改' } as const;
const KIND_TEXT = { basic: '基本支出', project: '项目支出' } as const;

function fundText(code: string): string {
  return isFundCode(code) ? fundLabel(code) : code;
}

function lineText(d: LineDiff): string {
  const where = [d.unit, d.functional, d.economic, KIND_TEXT[d.kind], d.project ?? '', fundText(d.fund)].filter((x) => x !== '').join(' ');
  if (d.change === 'added') return `${where}：金额 ${d.after} ${d.unitOfAmount}`;
  if (d.change === 'removed') return `${where}：金额 ${d.before} ${d.unitOfAmount}`;
  return `${where}：${d.fields.map(fieldText).join('；')}`;
}

function fieldText(f: FieldChange): string {
  const show = (v: string | null, field: string) => (v === null ? '（空）' : field === 'fund' ? fundText(v) : field === 'kind' ? (KIND_TEXT[v as 'basic'] ?? v) : v);
  return `${f.label} ${show(f.before, f.field)} → ${show(f.after, f.field)}`;
}

export function diffToText(diff: BudgetDiff, heading: string, limit = 50): string {
  const out: string[] = [heading];
  if (diff.unchanged) {
    out.push('没有变化。');
    return out.join('\n') + '\n';
  }
  out.push(`支出总计：${diff.totals.before} → ${diff.totals.after} ${diff.amountUnit}`);
  const count = (k: 'added' | 'removed' | 'changed', list: { change: string }[]) => list.filter((x) => x.change === k).length;
  if (diff.lines.length) {
    out.push(`预算行：新增 ${count('added', diff.lines)}，删除 ${count('removed', diff.lines)}，修改 ${count('changed', diff.lines)}`);
    for (const d of diff.lines.slice(0, limit)) out.push(`  ${CHANGE_TEXT[d.change]}  ${lineText(d)}`);
    if (diff.lines.length > limit) out.push(`  ……另有 ${diff.lines.length - limit} 行`);
  }
  if (diff.projects.length) {
    out.push(`项目：新增 ${count('added', diff.projects)}，删除 ${count('removed', diff.projects)}，修改 ${count('changed', diff.projects)}`);
    for (const p of diff.projects) {
      out.push(`  ${CHANGE_TEXT[p.change]}  ${p.code} ${p.name}${p.fields.length ? `：${p.fields.map(fieldText).join('；')}` : ''}`);
    }
  }
  if (diff.units.length) {
    out.push('单位：');
    for (const u of diff.units) out.push(`  ${CHANGE_TEXT[u.change]}  ${u.code} ${u.name}${u.fields.length ? `：${u.fields.map(fieldText).join('；')}` : ''}`);
  }
  if (diff.other.length) {
    out.push('其他：');
    for (const f of diff.other) out.push(`  ${fieldText(f)}`);
  }
  if (diff.cells.length) {
    out.push(`表格单元格变化 ${diff.cells.length} 个：`);
    for (const c of diff.cells.slice(0, limit)) out.push(`  ${c.table} ${c.rowLabel} / ${c.columnLabel}：${c.before} → ${c.after} ${c.unit}`);
    if (diff.cells.length > limit) out.push(`  ……另有 ${diff.cells.length - limit} 个单元格`);
  }
  return out.join('\n') + '\n';
}

export function runDiffCommand(argv: string[], io: CommandIO): number {
  try {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.out(LOCK_USAGE);
      return EXIT_OK;
    }
    const a = parseCommandArgs(argv, ['db', 'format'], ['own-only']);
    if (a.positional.length > 0) throw new CommandUsageError(`命令 diff 多出了参数“${a.positional[0]}”`);
    const format = outputFormat(a);
    const store = openExisting(requiredPath(a, 'db', '预算文件'));
    try {
      const result = diffSinceSubmission(store, { ownOnly: a.flags.has('own-only') });
      if (!result) throw new CommandUsageError('此预算尚未上报过，没有可比较的上报版本');
      if (format === 'json') {
        io.out(JSON.stringify(result, null, 2) + '\n');
        return EXIT_OK;
      }
      const s = result.submission;
      io.out(diffToText(result.diff, `自 ${s.createdAt} 上报（数据包 ${s.fileName}）以来的变化：`));
      return EXIT_OK;
    } finally {
      store.close();
    }
  } catch (err) {
    return reportCommandError(err, io);
  }
}

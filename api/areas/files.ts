// Files: 新建预算, open, 另存为, the recent list, 恢复备份, and the exchange file in and out.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parseExchange, serializeExchange } from '../../core/exchange.js';
import { decodeUtf8Text } from '../../core/json-lines.js';
import type { Budget, Unit } from '../../core/model.js';
import { toExactString } from '../../core/money.js';
import { formatProblem } from '../../core/problems.js';
import { BudgetStore } from '../../db/store.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { importBudget } from '../../db/import.js';
import { chooseFormat, findFormat, unknownFormat } from '../../db/publication-formats.js';
import { SHIPPED_FORMATS } from '../../core/tables/index.js';
import { BACKUP_REASON_LABELS, backupFolder, isBackupOf, listBackups } from '../../db/backups.js';
import type { ApiOutputs, ApiParsedInput } from '../contract.js';
import type { BackupList, BudgetInfo, RecentBudget } from '../views.js';
import { ApiRefusal } from '../errors.js';
import { defineArea } from '../handlers.js';
import { BUDGET_FILE_EXTENSION, refusalFrom, safeFileName } from '../session.js';

export const filesArea = defineArea('files', {
  'budget.info': (s): BudgetInfo => {
    return s.info();
  },

  'budget.create': (s, input: ApiParsedInput<'budget.create'>): BudgetInfo => {
    const codes = new Set<string>();
    for (const u of input.units) {
      if (codes.has(u.code)) throw new ApiRefusal(`单位编码“${u.code}”重复`);
      codes.add(u.code);
    }
    const budget: Budget = {
      fiscalYear: input.fiscalYear,
      amountUnit: input.amountUnit,
      department: { code: input.department.code.trim(), name: input.department.name.trim() },
      units: input.units.map((u): Unit => ({ code: u.code.trim(), name: u.name.trim(), kind: u.kind })),
      lines: [],
      income: [],
      projects: [],
      procurement: [],
      departmentPerformance: null,
      priorYear: null,
    };
    // The format is known before any file is made: a new file holds the shipped formats only.
    const formatId = input.formatId;
    const current = s.store;
    const intoCurrent = input.path === undefined && current !== null && !current.hasBudget();
    if (formatId !== undefined) {
      if (intoCurrent ? !findFormat(current!, formatId) : !SHIPPED_FORMATS.has(formatId)) {
        if (intoCurrent) refusalFrom(unknownFormat(current!, formatId));
        throw new ApiRefusal(`没有公开表格式“${formatId}”。可用的格式：${[...SHIPPED_FORMATS.values()].map((f) => `${f.id}（${f.name}）`).join('、')}`);
      }
    }
    // The budget and its format in one transaction: the file holds both or neither.
    const create = (store: BudgetStore) =>
      store.transaction(() => {
        store.replaceBudget(budget);
        if (formatId !== undefined) chooseFormat(store, formatId);
      });
    // A budget file that is open but still empty (the host was started on a new file) takes the new budget.
    if (intoCurrent && current) {
      try {
        create(current);
      } catch (err) {
        refusalFrom(err);
      }
      s.load();
      s.remember(current.path);
      return s.info();
    }
    const fileName = `${safeFileName(input.department.name)}-${input.fiscalYear}年部门预算${BUDGET_FILE_EXTENSION}`;
    const path = resolve(input.path ?? join(s.budgetsDir, fileName));
    if (existsSync(path)) throw new ApiRefusal(`文件“${path}”已存在：请换一个文件名，或用“打开”打开它`);
    if (!existsSync(dirname(path))) {
      if (input.path) throw new ApiRefusal(`文件夹“${dirname(path)}”不存在`);
      mkdirSync(dirname(path), { recursive: true });
    }
    const lock = s.lockFor(path);
    let store: BudgetStore;
    try {
      store = BudgetStore.open(path, { create: true });
    } catch (err) {
      s.dropLock(lock);
      refusalFrom(err);
    }
    try {
      create(store);
    } catch (err) {
      store.close();
      s.dropLock(lock);
      refusalFrom(err);
    }
    s.adopt(store, lock);
    s.load();
    s.remember(path);
    return s.info();
  },

  'budget.open': (s, input: ApiParsedInput<'budget.open'>): BudgetInfo => {
    const path = resolve(input.path);
    if (!existsSync(path)) throw new ApiRefusal(`找不到预算文件“${path}”`);
    s.openFile(path, false);
    return s.info();
  },

  /**
   * 另存为 by SQLite's backup of the open file: the copy holds everything the file holds (lines, code lists,
   * undo history, wizard state, submissions), then it is the budget open. On failure the original stays open.
   */
  'budget.saveAs': async (s, input: ApiParsedInput<'budget.saveAs'>): Promise<BudgetInfo> => {
    const { store } = s.requireBudget();
    if (!isAbsolute(input.path)) throw new ApiRefusal(`“${input.path}”不是完整路径：请给出包含文件夹的完整路径`);
    const target = resolve(input.path);
    if (target === resolve(store.path)) throw new ApiRefusal('这就是当前打开的预算文件：每次修改都已立即保存，无需另存');
    if (!existsSync(dirname(target))) throw new ApiRefusal(`文件夹“${dirname(target)}”不存在`);
    if (existsSync(target)) {
      if (statSync(target).isDirectory()) throw new ApiRefusal(`“${target}”是文件夹，不能作为预算文件`);
      if (!input.overwrite) throw new ApiRefusal(`文件“${target}”已存在：请换一个文件名，或确认替换它`);
      // A write-ahead log beside it means another program has it open (or crashed while writing it).
      if (existsSync(`${target}-wal`)) throw new ApiRefusal(`文件“${target}”正被其他程序使用，不能替换`);
    }
    try {
      await store.backupTo(target);
    } catch (err) {
      refusalFrom(err);
    }
    s.openFile(target, false);
    return s.info();
  },

  'backups.list': (s): BackupList => {
    const store = s.store;
    if (!store) throw new ApiRefusal('尚未打开预算文件：请新建预算或打开预算文件');
    return {
      folder: backupFolder(store.path),
      backups: listBackups(store.path).map((b) => ({
        fileName: b.fileName,
        at: b.at,
        reason: BACKUP_REASON_LABELS[b.reason] ?? b.reason,
        department: b.department,
        fiscalYear: b.fiscalYear,
        lineCount: b.lineCount,
        total: b.totalFen !== null && (b.amountUnit === '万元' || b.amountUnit === '元') ? toExactString(BigInt(b.totalFen), b.amountUnit) : null,
        amountUnit: b.amountUnit,
      })),
    };
  },

  /** 恢复备份: the current state is backed up first (so the restore itself can be undone the same way). */
  'backups.restore': (s, input: ApiParsedInput<'backups.restore'>): BudgetInfo => {
    const store = s.store;
    if (!store) throw new ApiRefusal('尚未打开预算文件：请新建预算或打开预算文件');
    const path = join(backupFolder(store.path), basename(input.fileName));
    if (!isBackupOf(store.path, path)) throw new ApiRefusal(`找不到备份“${input.fileName}”`);
    for (const j of s.submission.jobs.values()) if (j.state === 'running') throw new ApiRefusal('正在生成上报数据包，完成后再恢复备份');
    try {
      store.backup('restore');
    } catch (err) {
      refusalFrom(err);
    }
    const file = store.path;
    store.close();
    s.store = null;
    let failure: unknown = null;
    try {
      BudgetStore.restoreFrom(file, path);
    } catch (err) {
      failure = err;
    }
    // Reopened under the lock this session holds, restored or (on failure) as it was.
    s.openFile(file, false);
    if (failure) refusalFrom(failure);
    return s.info();
  },

  'budget.recent': (s): RecentBudget[] => {
    return s.readRecent().filter((r) => existsSync(r.path));
  },

  'exchange.import': (s, input: ApiParsedInput<'exchange.import'>): BudgetInfo => {
    let text: string;
    if (input.path !== undefined) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(resolve(input.path));
      } catch {
        throw new ApiRefusal(`无法读取交换文件“${input.path}”`);
      }
      const decoded = decodeUtf8Text(bytes);
      if (!decoded.ok) throw new ApiRefusal(`交换文件“${input.path}”${decoded.message}，未导入`);
      text = decoded.text;
    } else text = input.text ?? '';
    const bookStore = s.store;
    const parsed = parseExchange(text, (year) => (bookStore ? bookStore.codeBook(year) : defaultCodeBook(year)));
    if (!parsed.ok) {
      const shown = parsed.problems.slice(0, 200);
      throw new ApiRefusal(
        `交换文件有 ${parsed.problems.length} 处错误，未导入。${formatProblem(parsed.problems[0]!)}`,
        shown.map((p) => ({ path: p.line !== undefined ? `${p.path}（第 ${p.line} 行）` : p.path, message: p.message })),
      );
    }
    if (!s.store) {
      const b = parsed.budget;
      const path = join(s.budgetsDir, `${safeFileName(b.department.name)}-${b.fiscalYear}年部门预算${BUDGET_FILE_EXTENSION}`);
      mkdirSync(s.budgetsDir, { recursive: true });
      s.openFile(path, true);
    }
    const store = s.store!;
    try {
      // The same steps as the command line's import: backup, budget replaced, history and wizard state cleared.
      importBudget(store, parsed.budget);
    } catch (err) {
      refusalFrom(err);
    }
    s.load();
    s.remember(store.path);
    return s.info();
  },

  'exchange.export': (s, input: ApiParsedInput<'exchange.export'>): ApiOutputs['exchange.export'] => {
    const { budget } = s.requireBudget();
    const current: Budget = { ...budget, lines: [...s.lines.values()].sort((a, b) => a.id - b.id) };
    const text = serializeExchange(current);
    const fileName = `${safeFileName(budget.department.name)}-${budget.fiscalYear}年部门预算.json`;
    let path: string | null = null;
    if (input.path !== undefined) {
      path = resolve(input.path);
      try {
        writeFileSync(path, text, 'utf8');
      } catch {
        throw new ApiRefusal(`无法写入“${path}”：请检查文件夹是否存在、是否有写入权限`);
      }
    }
    return { text, fileName, path };
  },
});

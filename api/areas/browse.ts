// The long views (api/browse.ts): one published table a window of rows at a time, search in it,
// and 审核 grouped by rule.
//
// A table is laid out once by the one print layout (core/tables/layout.ts) and kept, with the engine's change
// stamp of that table, until the table changes: scrolling asks for windows of the kept layout; after an edit
// the next look lays the table out again (an edit itself costs nothing here). One project's form of T11 is
// laid out alone. 审核's groups are the counts the session keeps edit by edit (core/audit/incremental.ts); the
// places of one group come from running that one rule, kept until the counts move.
import { auditBudget, auditRule, AUDIT_RULES, AuditContext, DEFAULT_AUDIT_SETTINGS, type AuditRule, type AuditSettings, type IncrementalAudit, type Finding as CoreFinding } from '../../core/audit/index.js';
import { findingUnit, splitGroupKey } from '../../core/audit/groups.js';
import type { CodeBook } from '../../core/codelists.js';
import { templateChoicesFromWizardState, WIZARD_STATE_META_KEY, type TemplateChoices } from '../../core/indicators.js';
import type { Budget, BudgetLine } from '../../core/model.js';
import type { AmountUnit } from '../../core/money.js';
import type { TableEngine } from '../../core/tables/index.js';
import { printedTable, projectSheet } from '../../core/tables/layout.js';
import type { ReportTable } from '../../core/tables/report.js';
import type { ApiParsedInput } from '../contract.js';
import { ApiRefusal } from '../errors.js';
import { defineAreaOver } from '../handlers.js';
import type { Session } from '../session.js';
import type { BrowseOutputs, TableIndex, TableWindow, AuditGroup } from '../browse.js';
import type { Finding } from '../views.js';
import { screenBlock, screenRows, screenRowText, type ScreenBlock } from '../tables-view.js';

export interface BrowseSession {
  engine: TableEngine;
  budget: Budget;
  book: CodeBook;
  /** The budget's amount unit. */
  unit: AmountUnit;
  /** The indicator trees chosen in the wizard (T10/T11 print on them). */
  templateChoices(): TemplateChoices;
  /** The current lines (any order) and one line by id. */
  lines(): Iterable<BudgetLine>;
  line(id: number): BudgetLine | undefined;
  /** The 审核 counts kept edit by edit; null while no budget is open. */
  audit: IncrementalAudit | null;
  /** The file's rule set (年度参数包): the rules that run, their settings and descriptions. */
  rules: readonly AuditRule[];
  settings: AuditSettings;
  ruleDescription(id: string): string;
}

type Input<M extends keyof BrowseOutputs> = ApiParsedInput<M>;

/** What these handlers need of the session. */
function browseView(s: Session): BrowseSession {
  const { store, budget, book, engine } = s.requireBudget();
  return {
    engine,
    budget,
    book,
    unit: s.unit,
    templateChoices: () => templateChoicesFromWizardState(store.getMeta(WIZARD_STATE_META_KEY)),
    lines: () => s.lines.values(),
    line: (id) => s.lines.get(id),
    audit: s.audit,
    rules: s.auditConfig?.rules ?? AUDIT_RULES,
    settings: s.auditConfig?.settings ?? DEFAULT_AUDIT_SETTINGS,
    ruleDescription: (id) => s.ruleDescription(id) || (auditRule(id)?.description ?? ''),
  };
}

// ---- tables ----------------------------------------------------------------------------------------------

interface KeptLayout {
  key: string;
  screen: ScreenBlock;
  /** Lower-cased search text per body row, worked out on the first search. */
  texts: string[] | null;
}

/** The last laid-out tables per engine (a few: the one on screen and the one before). */
const LAYOUTS = new WeakMap<TableEngine, KeptLayout[]>();
const KEEP_LAYOUTS = 2;

function tableOf(s: BrowseSession, id: string): ReportTable {
  try {
    return s.engine.sharedTable(id);
  } catch {
    throw new ApiRefusal(`本预算的公开表格式中没有表 ${id}`);
  }
}

/** The screen block of a sheet ("T03", "T11", "T11:P01"), laid out now or kept from before. */
function sheet(s: BrowseSession, id: string, displayUnit: AmountUnit | undefined): KeptLayout {
  const [tableId, project] = id.split(':') as [string, string | undefined];
  const table = tableOf(s, tableId);
  const unit = displayUnit ?? s.unit;
  const forms = table.layout === 'form' || table.layout === 'projects';
  if (project !== undefined && table.layout !== 'projects') throw new ApiRefusal(`表 ${tableId} 没有分项目的表`);
  // Forms print the wizard's texts and chosen trees: laid out on every look (one form is small).
  const key = forms ? null : [tableId, unit, s.engine.tableVersion(tableId), table.caption.join('\n')].join('\u0001');
  const kept = LAYOUTS.get(s.engine) ?? [];
  const hit = key === null ? undefined : kept.find((k) => k.key === key);
  if (hit) return hit;
  let only: string[] | undefined;
  if (table.layout === 'projects') {
    const projects = table.projects ?? [];
    const code = project ?? projects[0]?.code;
    if (code !== undefined && !projects.some((p) => p.code === code)) throw new ApiRefusal(`没有项目 ${code} 的绩效目标表`);
    only = code === undefined ? [] : [code];
  }
  const printed = printedTable(table, { displayUnit: unit, templateChoices: s.templateChoices(), ...(only ? { projects: only } : {}) });
  const block = printed.blocks[0];
  if (!block) throw new ApiRefusal(`表 ${id} 中没有可显示的内容`);
  const layout: KeptLayout = { key: key ?? '', screen: screenBlock(block, table, printed), texts: null };
  if (key !== null) LAYOUTS.set(s.engine, [layout, ...kept].slice(0, KEEP_LAYOUTS));
  return layout;
}

function index(s: BrowseSession): TableIndex {
  const out: TableIndex = { tables: [], projects: null };
  for (const t of s.engine.sharedTables()) {
    const title = t.caption[0] ?? t.title;
    if (t.layout !== 'projects') {
      out.tables.push({ id: t.id, table: t.id, title });
      continue;
    }
    const sheets = (t.projects ?? []).map((p) => {
      const { id, label } = projectSheet(t, p);
      return { id, table: t.id, title: label };
    });
    if (sheets.length > 0) out.projects = { id: t.id, table: t.id, title, sheets };
  }
  return out;
}

function window(s: BrowseSession, input: Input<'reports.window'>): TableWindow {
  const { screen } = sheet(s, input.id, input.displayUnit);
  const out: TableWindow = {
    ...screen.frame,
    align: screen.frame.align ?? [],
    columnWidths: screen.columnWidths,
    rowCount: screen.body.length,
    rowSpans: screen.rowSpans,
    offset: input.offset,
    rows: screenRows(screen, input.offset, input.offset + input.limit),
  };
  return out;
}

const FIND_LIMIT = 1000;

function find(s: BrowseSession, input: Input<'reports.find'>): BrowseOutputs['reports.find'] {
  const words = input.query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { rows: [], total: 0 };
  const kept = sheet(s, input.id, input.displayUnit);
  const texts = (kept.texts ??= kept.screen.body.map((_, i) => screenRowText(kept.screen, i)));
  const rows: number[] = [];
  let total = 0;
  texts.forEach((t, i) => {
    if (!words.every((w) => t.includes(w))) return;
    total++;
    if (rows.length < FIND_LIMIT) rows.push(i);
  });
  return { rows, total };
}

// ---- 审核 --------------------------------------------------------------------------------------------------

const DEPARTMENT_LEVEL = '部门（不属于某一单位）';

function toFinding(s: BrowseSession, f: CoreFinding): Finding {
  return {
    severity: f.severity === 'hard' ? 'error' : 'warning',
    rule: f.rule,
    ruleDescription: s.ruleDescription(f.rule),
    message: f.message,
    place: { ...f.place },
  };
}

function requireAudit(s: BrowseSession): IncrementalAudit {
  if (!s.audit) throw new ApiRefusal('此预算文件中还没有预算：请导入交换文件或新建预算');
  return s.audit;
}

function groups(s: BrowseSession, input: Input<'audit.groups'>): BrowseOutputs['audit.groups'] {
  const audit = requireAudit(s);
  const ruleOrder = new Map(s.rules.map((r, i) => [r.id, i]));
  const counts = audit.groups();
  const byGroup = new Map<string, AuditGroup>();
  const byUnit = new Map<string, number>();
  let errors = 0;
  let warnings = 0;
  for (const [key, n] of counts) {
    const { severity, rule, unit } = splitGroupKey(key);
    if (severity === 'hard') errors += n;
    else warnings += n;
    byUnit.set(unit, (byUnit.get(unit) ?? 0) + n);
    if (input.unit !== undefined && unit !== input.unit) continue;
    const sev = severity === 'hard' ? 'error' : 'warning';
    const g = byGroup.get(sev + '\u0001' + rule);
    if (g) g.count += n;
    else byGroup.set(sev + '\u0001' + rule, { rule, severity: sev, description: s.ruleDescription(rule), count: n });
  }
  const unitNames = new Map(s.budget.units.map((u) => [u.code, u.name]));
  const order = new Map(s.budget.units.map((u, i) => [u.code, i]));
  const units = [...byUnit]
    .map(([code, count]) => ({ code, name: code === '' ? DEPARTMENT_LEVEL : (unitNames.get(code) ?? ''), count }))
    .sort((a, b) => rank(a.code) - rank(b.code) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  function rank(code: string): number {
    return code === '' ? -1 : (order.get(code) ?? Number.MAX_SAFE_INTEGER);
  }
  const list = [...byGroup.values()].sort(
    (a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || (ruleOrder.get(a.rule) ?? 1e9) - (ruleOrder.get(b.rule) ?? 1e9),
  );
  return { summary: { errors, warnings }, groups: list, units };
}

interface KeptPlaces {
  key: string;
  findings: CoreFinding[];
}
const PLACES = new WeakMap<IncrementalAudit, KeptPlaces>();

function places(s: BrowseSession, input: Input<'audit.places'>): BrowseOutputs['audit.places'] {
  const audit = requireAudit(s);
  const rule = s.rules.find((r) => r.id === input.rule);
  if (!rule) throw new ApiRefusal(`没有审核规则“${input.rule}”`);
  const key = [audit.version(), input.rule, input.severity, input.unit ?? '\u0002'].join('\u0001');
  let kept = PLACES.get(audit);
  if (!kept || kept.key !== key) {
    // That one rule over the budget as it is now (in line order, as a full 审核 lists it).
    const lines = [...s.lines()].sort((a, b) => a.id - b.id);
    // What the kept 审核 reads: the format's tables, and 河南 2020's besides under another format.
    const tables = s.engine.sharedAuditTables();
    const current: Budget = { ...s.budget, lines };
    const severity = input.severity === 'error' ? 'hard' : 'soft';
    const documentTables = s.engine.sharedReferenceTables();
    let findings = auditBudget(current, s.book, tables, { rules: [rule], settings: s.settings, documentTables }).filter((f) => f.severity === severity);
    if (input.unit !== undefined) {
      const context = new AuditContext({ ...s.budget, lines: [] }, s.book, tables, s.settings);
      const lineUnit = (id: number) => s.line(id)?.unit;
      findings = findings.filter((f) => findingUnit(f.place, context, lineUnit) === input.unit);
    }
    kept = { key, findings };
    PLACES.set(audit, kept);
  }
  return { total: kept.findings.length, offset: input.offset, findings: kept.findings.slice(input.offset, input.offset + input.limit).map((f) => toFinding(s, f)) };
}

export const browseArea = defineAreaOver('browse', browseView, {
  'reports.index': (s: BrowseSession) => index(s),
  'reports.window': window,
  'reports.find': find,
  'audit.groups': groups,
  'audit.places': places,
});

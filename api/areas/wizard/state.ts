// What the 绩效目标 wizard reads from the session, and the wizard's own state in the budget file: per project its
// position, chosen template, project types and 完成, as one JSON value in the file's meta table (so it travels
// with the budget file and needs no schema change). An import clears it (db/import.ts).
import type { AuditConfig } from '../../../core/audit/rule-set.js';
import type { CodeBook } from '../../../core/codelists.js';
import { WIZARD_STATE_META_KEY } from '../../../core/indicators.js';
import type { Budget, BudgetLine, DepartmentPerformance, Project } from '../../../core/model.js';
import type { TableEngine } from '../../../core/tables/engine.js';
import type { BudgetStore } from '../../../db/store.js';
import { WIZARD_STEPS, type IndicatorInput, type WizardStep } from '../../wizard.js';

/** What the wizard reads from the open session, and the hooks it calls after writing to the store. */
export interface WizardSession {
  store: BudgetStore;
  /** The session's budget; its `projects` and `departmentPerformance` are current, its `lines` are not. */
  budget: Budget;
  book: CodeBook;
  engine: TableEngine;
  /** The current lines. */
  lines(): BudgetLine[];
  /** A project was written (before null: added). Keeps the budget, the tables and the audit in step. */
  projectSaved(before: Project | null, after: Project): void;
  projectRemoved(project: Project): void;
  departmentSaved(performance: DepartmentPerformance | null): void;
  /**
   * The file's rule set (levels and parameters from the parameter package or the user): the wizard shows and
   * gates on each rule's level there, as 审核 does. Absent: the built-in levels.
   */
  config?: AuditConfig;
}

// ---- the wizard's own state in the budget file ---------------------------------------------------------

const META_KEY = WIZARD_STATE_META_KEY;

export interface ProjectDraftState {
  position?: WizardStep;
  /** Indicator rows saved as a draft while some of them cannot be stored (see saveIndicators). */
  indicatorDraft?: IndicatorInput[];
  template?: string;
  projectTypes?: string[];
  completed?: boolean;
}

export interface WizardMeta {
  projects: Record<string, ProjectDraftState>;
  department: { template?: string };
}

export function readMeta(store: BudgetStore): WizardMeta {
  const raw = store.getMeta(META_KEY);
  const meta: WizardMeta = { projects: {}, department: {} };
  if (!raw) return meta;
  try {
    const parsed = JSON.parse(raw) as Partial<WizardMeta>;
    if (parsed && typeof parsed.projects === 'object' && parsed.projects) meta.projects = parsed.projects;
    if (parsed && typeof parsed.department === 'object' && parsed.department) meta.department = parsed.department;
  } catch {
    // A damaged wizard state costs the positions and choices, never the project data.
  }
  return meta;
}

export function writeMeta(store: BudgetStore, meta: WizardMeta): void {
  store.setMeta(META_KEY, JSON.stringify(meta));
}

export function draftOf(meta: WizardMeta, code: string): ProjectDraftState {
  const d = meta.projects[code];
  return d && typeof d === 'object' ? d : {};
}

export function isStep(value: unknown): value is WizardStep {
  return typeof value === 'string' && (WIZARD_STEPS as readonly string[]).includes(value);
}

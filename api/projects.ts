// 项目库's part of the API contract: the budget's projects with their master data (the 基本信息 of T11: code,
// name, unit, category, 功能分类, amounts, dates, leader …) to list, add, edit and delete apart from the 绩效
// wizard, and the prefilled form a new project starts from (from the grid: the typed name and the line's unit
// and 功能分类). Only zod and types here: the renderer bundles this file through contract.ts; the handlers live
// in areas/projects.ts. Amounts cross as exact decimal strings in the budget's unit.
import { z } from 'zod';
import { basicsValues, type BasicsValues } from './wizard.js';
import type { AmountUnitCode, ChangeSet } from './views.js';

const projectCode = z.string().max(64).min(1);
const lineId = z.number().int().positive();
const empty = z.object({}).strict();

export const PROJECTS_API = {
  /** 项目库: every project with its master data, the lines that use it, and what a new one starts from. */
  'projects.library': { input: empty },
  /**
   * A new project's form, prefilled: the next free code, the year's dates; `text` typed in the grid's 项目 cell
   * (a code or a name) and the unit, 功能分类 and amount of line `line`.
   */
  'projects.blank': { input: z.object({ text: z.string().max(500).optional(), line: lineId.optional() }).strict() },
  /**
   * Adds (`code: null`) or changes the master data of a project (texts and indicators stay as the wizard left
   * them); a new code is carried to the project's lines. With `assignLine` the line takes the saved project
   * (and its 功能分类 when the line has none) in the same action. One transaction, one undo step.
   */
  'projects.save': {
    input: z.object({ code: projectCode.nullable(), values: basicsValues, assignLine: lineId.optional() }).strict(),
  },
  /** Deletes a project no line or 政府采购 uses (refused, naming them, otherwise). One undo step. */
  'projects.delete': { input: z.object({ code: projectCode }).strict() },
} as const;

/** A project as 项目库 lists it: the master data as typed (amounts '' when not filled) and what uses it. */
export interface ProjectRecord extends BasicsValues {
  unitName: string;
  categoryLabel: string;
  functionalName: string;
  /** Budget lines booked on the project and their sum (in the budget's unit). */
  lineCount: number;
  linesAmount: string;
  indicatorCount: number;
}

export interface ProjectChoices {
  fiscalYear: number;
  amountUnit: AmountUnitCode;
  units: { code: string; name: string }[];
  categories: { code: 'general' | 'special'; label: string }[];
  /** 资金用途 the budget's projects use (offered while typing). */
  usages: string[];
}

export interface ProjectLibrary extends ProjectChoices {
  projects: ProjectRecord[];
  /** The code a new project is offered. */
  nextCode: string;
}

export interface ProjectBlank extends ProjectChoices {
  values: BasicsValues;
  functionalName: string;
}

export interface ProjectSaved {
  project: ProjectRecord;
  /** The lines that changed (the line that took the project, or the lines of a renamed one), totals, undo state. */
  changes: ChangeSet;
  message: string;
}

export interface ProjectDeleted {
  changes: ChangeSet;
  message: string;
}

export interface ProjectsOutputs {
  'projects.library': ProjectLibrary;
  'projects.blank': ProjectBlank;
  'projects.save': ProjectSaved;
  'projects.delete': ProjectDeleted;
}

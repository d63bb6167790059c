// The 年度参数包 part of the API contract: 控制数 with what is used and left (live with every edit), the 审核 rules
// with their levels and parameters (changed by a package, or by the user with a reason), the changes against
// last year that need a written reason, and importing a parameter package (checked and previewed first).
// Input schemas (PARAMS_API, spread into API) and output types (ParamsOutputs). Only zod and types here: the
// renderer bundles this file through contract.ts; the handlers live in params-service.ts.
import { z } from 'zod';

const text = (max: number) => z.string().max(max);
const empty = z.object({}).strict();

/** A parameter package is a few hundred KB; the cap matches the package reader's. */
export const PARAMS_UPLOAD_MAX_BYTES = 32 * 1024 * 1024;
const upload = z
  .object({
    fileName: text(255).min(1),
    base64: z
      .string()
      .max(Math.ceil(PARAMS_UPLOAD_MAX_BYTES / 3) * 4, { message: '文件过大：最多 32 MB' })
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: '文件内容不是有效的 base64 编码' }),
  })
  .strict();
const level = z.enum(['hard', 'soft', 'off']);

export const PARAMS_API = {
  /** 控制数, 审核 rules, changes that need a reason, and the packages imported so far. */
  'params.view': { input: empty },
  /** 控制数 with used and remaining only: cheap, for the status bar and the view after each edit. */
  'params.ceilings': { input: empty },
  /** Reads and checks a package (as a received 上报 package is), and says what it would change; nothing is written. */
  'params.inspect': { input: z.object({ upload }).strict() },
  /** Imports the package inspected (the same bytes: `sha256` from params.inspect), in one transaction. */
  'params.import': { input: z.object({ upload, sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict() },
  /** The user changes a rule's level or parameters; a reason is required and kept. */
  'params.setRule': {
    input: z
      .object({ rule: text(80).min(1), level: level.optional(), params: z.record(text(40), text(2000)).optional(), reason: text(2000) })
      .strict(),
  },
  /** Writes reasons for large changes by functional code (null clears one); one transaction. */
  'params.saveReasons': {
    input: z
      .object({ reasons: z.array(z.object({ code: text(7).regex(/^\d{3}(\d{2}){0,2}$/), text: text(4000).nullable() }).strict()).min(1).max(5000) })
      .strict(),
  },
} as const;

export type RuleLevelCode = z.infer<typeof level>;

export interface CeilingView {
  /** Stable key ("074001:gpb:basic"). */
  id: string;
  unit: string;
  unitName: string;
  fundGroupLabel: string;
  kindLabel: string;
  /** Project code and name of a project's own ceiling. */
  project: string | null;
  projectName: string | null;
  /** Exact decimal strings in the budget's unit. */
  ceiling: string;
  used: string;
  remaining: string;
  exceeded: boolean;
}

export interface CeilingsView {
  amountUnit: string;
  rows: CeilingView[];
  /** Over the units' ceilings (a project's own ceiling is part of its unit's): exact, in the budget's unit. */
  totals: { ceiling: string; used: string; remaining: string };
  exceeded: number;
  /** The ceiling rule's level (a package may make it soft or switch it off). */
  level: RuleLevelCode;
}

export interface RuleView {
  id: string;
  description: string;
  /** 内置 / 公开表格式 / 参数包. */
  sourceLabel: string;
  level: RuleLevelCode;
  defaultLevel: RuleLevelCode;
  params: { key: string; label: string; hint: string; value: string; defaultValue: string }[];
  expressions: string[];
  /** Who set it last and why (a package, or the user with a reason); null at the default. */
  setBy: string | null;
  reason: string | null;
}

export interface ChangeView {
  code: string;
  name: string;
  /** Exact decimal strings in the budget's unit. */
  current: string;
  prior: string;
  /** "12.50%"; null when last year had nothing. */
  ratio: string | null;
  direction: '增加' | '减少';
  reason: string;
  /** Last year's reason for the same code: offered as a starting text. */
  priorReason: string | null;
}

export interface ParamsPackageView {
  importedAt: string;
  fileName: string;
  authority: string;
  issuedAt: string;
}

export interface ParamsView {
  ceilings: CeilingsView;
  rules: RuleView[];
  changes: {
    /** "10%", and the level compared (项). */
    threshold: string;
    level: string;
    /** Last year's figures have detail at that level (else nothing can be compared). */
    priorKnown: boolean;
    rows: ChangeView[];
  };
  packages: ParamsPackageView[];
}

export interface ParamsPreviewView {
  fileName: string;
  sha256: string;
  fiscalYear: number;
  authority: string;
  issuedAt: string;
  note: string | null;
  /** One line per change, grouped: 科目表, 审核规则, 控制数, 公开表格式. */
  sections: { title: string; lines: string[] }[];
  unchanged: boolean;
}

export interface ParamsOutputs {
  'params.view': ParamsView;
  'params.ceilings': CeilingsView;
  'params.inspect': ParamsPreviewView;
  'params.import': { preview: ParamsPreviewView; message: string };
  'params.setRule': ParamsView;
  'params.saveReasons': ParamsView & { audit: { errors: number; warnings: number } };
}

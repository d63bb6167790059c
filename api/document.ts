// The 预算说明 part of the API contract: the drafted document with its live figures, the user-typed texts,
// last year's figures (typed or taken from last year's file), and the document as .docx / PDF. Input schemas
// (DOCUMENT_API, spread into API) and output types (DocumentOutputs). Only zod and types here: the renderer
// bundles this file through contract.ts; the handlers live in areas/document.ts.
import { z } from 'zod';

const text = (max: number) => z.string().max(max);
const empty = z.object({}).strict();

/** Prior-year figures as typed: exact decimal strings in the budget's unit; '' clears one. */
export const PRIOR_SCALAR_FIELDS = ['total', 'threePublic', 'basic', 'project', 'generalPublicBudget', 'governmentFund', 'operatingCost'] as const;
export type PriorScalarField = (typeof PRIOR_SCALAR_FIELDS)[number];
export const PRIOR_SCALAR_LABELS: Record<PriorScalarField, string> = {
  total: '收支总计',
  threePublic: '“三公”经费',
  basic: '基本支出',
  project: '项目支出',
  generalPublicBudget: '一般公共预算支出',
  governmentFund: '政府性基金预算支出',
  operatingCost: '机关运行经费',
};
export const PRIOR_ITEM_FIELDS = ['abroad', 'reception', 'vehicleRunning', 'vehiclePurchase'] as const;
export const PRIOR_ITEM_LABELS: Record<(typeof PRIOR_ITEM_FIELDS)[number], string> = {
  abroad: '因公出国（境）费',
  reception: '公务接待费',
  vehicleRunning: '公务用车运行维护费',
  vehiclePurchase: '公务用车购置费',
};

const amountText = text(64);

/** Largest last-year file the page may upload (as the 上报 receive dialog). */
export const PRIOR_UPLOAD_MAX_BYTES = 32 * 1024 * 1024;
const PRIOR_UPLOAD_MAX_BASE64 = Math.ceil(PRIOR_UPLOAD_MAX_BYTES / 3) * 4;

export const DOCUMENT_API = {
  /** The drafted 预算说明: paragraphs (figures and user parts marked), figures, the editable fields, 上年数. */
  'document.view': { input: empty },
  /** Sets user-typed parts (null restores the drafted default); one transaction; answers the new view. */
  'document.saveTexts': {
    input: z
      .object({ texts: z.array(z.object({ key: text(200).min(1), value: text(20_000).nullable() }).strict()).min(1).max(200) })
      .strict(),
  },
  /** Sets the prior-year figures typed in the app (the 功能分类/经济分类 detail is kept). */
  'document.savePrior': {
    input: z
      .object({
        amounts: z.object(Object.fromEntries(PRIOR_SCALAR_FIELDS.map((k) => [k, amountText.optional()])) as Record<PriorScalarField, z.ZodOptional<z.ZodString>>).strict(),
        items: z
          .object(Object.fromEntries(PRIOR_ITEM_FIELDS.map((k) => [k, amountText.optional()])) as Record<(typeof PRIOR_ITEM_FIELDS)[number], z.ZodOptional<z.ZodString>>)
          .strict(),
        /** 上年数 by 功能分类 code to set ('' removes one); codes not named keep their figure. */
        functional: z.record(text(40), amountText).optional(),
      })
      .strict(),
  },
  /**
   * 导入上年数据: last year's exchange file or 上报 package (the same steps as `prior import`); its figures replace
   * the 上年数. One undo step.
   */
  'document.importPrior': {
    input: z
      .object({
        upload: z
          .object({
            fileName: text(255).min(1),
            base64: z
              .string()
              .max(PRIOR_UPLOAD_MAX_BASE64, { message: `文件过大：最多 ${PRIOR_UPLOAD_MAX_BYTES / 1024 / 1024} MB` })
              .regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: '文件内容不是有效的 base64 编码' }),
          })
          .strict(),
      })
      .strict(),
  },
  /** Last year's figure and the 增减 per 功能分类 类/款/项 (for the grid's 上年数 / 增减 column and the 上年数 editor). */
  'document.priorFunctional': { input: empty },
  /** The whole document as a file (base64), for the browser host's download and the desktop's save. */
  'document.file': { input: z.object({ format: z.enum(['docx', 'pdf']) }).strict() },
} as const;

export interface DocRunView {
  text: string;
  figure?: string;
  field?: string;
  missing?: boolean;
}

export interface DocParagraphView {
  kind: string;
  section: string;
  runs: DocRunView[];
  /** kind 'chart': the chart drawn here (DocumentView.charts). */
  chart?: string;
}

/** A chart of the document: its caption, its size in CSS pixels and its Apache ECharts option (plain JSON). */
export interface DocChartView {
  id: string;
  title: string;
  width: number;
  height: number;
  option: Record<string, unknown>;
}

export interface DocFigureView {
  id: string;
  label: string;
  computed: string;
  typed?: string;
  unit: string;
  section: string;
}

export interface DocFieldView {
  key: string;
  label: string;
  kind: 'text' | 'paragraphs' | 'count';
  value: string;
  /** The user wrote it (else the value is the drafted default). */
  typed: boolean;
  hint?: string;
}

export interface DocumentView {
  title: string;
  paragraphs: DocParagraphView[];
  charts: DocChartView[];
  figures: DocFigureView[];
  fields: DocFieldView[];
  disagreements: { figure: string; label: string; typed: string; computed: string; unit: string }[];
  problems: string[];
  prior: { amounts: Record<PriorScalarField, string>; items: Record<(typeof PRIOR_ITEM_FIELDS)[number], string>; functionalCodes: number; economicCodes: number };
  /** The budget's amount unit. */
  unit: string;
  fiscalYear: number;
}

/** One 功能分类 类/款/项 with this year's amount (the engine's subtotal), last year's and the 增减. */
export interface PriorFunctionalRow {
  code: string;
  level: '类' | '款' | '项';
  name: string;
  /** This year's amount, exact, in the budget's unit ('0' when no line is booked on it). */
  current: string;
  /** Last year's, exact; null when not known. */
  prior: string | null;
  /** current − prior, exact and signed; null when last year's is not known. */
  change: string | null;
  /** The change as a percentage of last year's, rounded half-up to 0.01 and signed; null when unknown or last year's is 0. */
  rate: string | null;
}

export interface PriorFunctionalView {
  unit: string;
  /** The year the 上年数 are of. */
  priorYear: number;
  /** Rows for every code this year's lines use and every code last year's figures hold, in code order. */
  rows: PriorFunctionalRow[];
}

export interface DocumentOutputs {
  'document.view': DocumentView;
  'document.saveTexts': DocumentView;
  'document.savePrior': DocumentView;
  'document.importPrior': { view: DocumentView; message: string };
  'document.priorFunctional': PriorFunctionalView;
  'document.file': { fileName: string; base64: string; mimeType: string };
}

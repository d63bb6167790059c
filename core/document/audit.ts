// 审核 of the 预算说明: a figure typed by hand that disagrees with the budget, and a typed count that is not one.
import type { AuditRule, FindingDraft } from '../audit/types.js';
import { draftDocument } from './draft.js';

export const narrativeFigureDisagrees: AuditRule = {
  id: 'narrative.figure-disagrees',
  severity: 'hard',
  description: '预算说明中手工填写的数字必须与预算表一致。',
  needsTables: true,
  check(ctx) {
    if (!ctx.budget.narrative || !ctx.tables) return [];
    // The figures of the sentences are 河南 2020's cells, whatever format the budget prints in.
    const doc = draftDocument(ctx.budget, ctx.documentTables() ?? ctx.tables);
    const out: FindingDraft[] = doc.disagreements.map((x) => ({
      place: { field: `narrative:figure:${x.figure}` },
      message: `预算说明中“${x.label}”手工填写为 ${x.typed}${x.unit === '%' ? '%' : x.unit}，按预算应为 ${x.computed}${x.unit === '%' ? '%' : x.unit}`,
    }));
    for (const problem of doc.problems) out.push({ place: { field: 'narrative' }, message: problem });
    return out;
  },
};

export const DOCUMENT_RULES: readonly AuditRule[] = [narrativeFigureDisagrees];

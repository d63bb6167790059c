// 预算说明: the drafted document, its typed parts, 上年数, .docx / PDF (handlers in api/document-service.ts).
import { defineAreaOver } from '../handlers.js';
import type { Session } from '../session.js';
import { DOCUMENT_HANDLERS, type DocumentSession } from '../document-service.js';

function documentSession(s: Session): DocumentSession {
  const { store, budget, engine } = s.requireBudget();
  // The narrative and last year's figures are read by 审核 rules that look at no line: count them again.
  return { store, budget, engine, changed: () => s.budgetPartsChanged() };
}

export const documentArea = defineAreaOver('document', documentSession, DOCUMENT_HANDLERS);

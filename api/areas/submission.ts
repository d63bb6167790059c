// 上报: status, the package export job, unlock, the diff since the last submission, receiving units' packages,
// consolidated tables, line items in .xlsx (handlers in api/submission-service.ts).
import { defineAreaOver } from '../handlers.js';
import type { Session } from '../session.js';
import { SUBMISSION_HANDLERS, type SubmissionSession } from '../submission-service.js';

function submissionSession(s: Session): SubmissionSession {
  return {
    store: s.store,
    state: s.submission,
    requireBudget: () => s.requireBudget(),
    lines: () => [...s.lines.values()].sort((a, b) => a.id - b.id),
    commitLines: (label, write) => s.act((store) => ({ label, changes: write(store) })),
  };
}

export const submissionArea = defineAreaOver('submission', submissionSession, SUBMISSION_HANDLERS);

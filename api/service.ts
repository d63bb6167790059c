// The budget service behind the API: a session over one open budget file (api/session.ts) answering every
// method of the contract through the handlers its areas register (api/areas/). Hosts create it with
// createBudgetService() and call it through dispatch().
import type { ApiService } from './contract.js';
import { registerAreas, type ServiceMethods } from './handlers.js';
import { Session, type BudgetServiceOptions } from './session.js';
import { filesArea } from './areas/files.js';
import { linesArea } from './areas/lines.js';
import { undoArea } from './areas/undo.js';
import { codesArea } from './areas/codes.js';
import { reportsArea } from './areas/reports.js';
import { wizardArea } from './areas/wizard.js';
import { submissionArea } from './areas/submission.js';
import { documentArea } from './areas/document.js';
import { paramsArea } from './areas/params.js';
import { browseArea } from './areas/browse.js';
import { projectsArea } from './areas/projects.js';

export { BUDGET_FILE_EXTENSION, type BudgetServiceOptions } from './session.js';

/** Every area of the API; a new area is added here (api/README.md, "Adding an area"). */
export const AREAS = [filesArea, linesArea, undoArea, codesArea, reportsArea, wizardArea, submissionArea, documentArea, paramsArea, browseArea, projectsArea] as const;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** Every area's handlers with their own types (a synchronous handler stays synchronous for callers). */
type AreaHandlers = UnionToIntersection<(typeof AREAS)[number]['handlers']>;

/** Each method's handler, checked once at start-up: every method of the contract has exactly one. */
const HANDLERS = registerAreas(AREAS);

/** The session with one function per method of the contract (an ApiService), as hosts and tests call it. */
export interface BudgetSession extends ServiceMethods<AreaHandlers> {}
export class BudgetSession extends Session {}
/** Compile-time check: the session answers the whole contract. */
const _isService = (s: BudgetSession): ApiService => s;
void _isService;

for (const [method, handler] of Object.entries(HANDLERS)) {
  Object.defineProperty(BudgetSession.prototype, method, {
    value(this: BudgetSession, input: unknown) {
      return (handler as (session: Session, input: unknown) => unknown)(this, input);
    },
    writable: false,
    enumerable: false,
    configurable: false,
  });
}

export function createBudgetService(options: BudgetServiceOptions = {}): BudgetSession {
  return new BudgetSession(options);
}

/** For the desktop host's service process: journal files on removable and network drives DELETE, checkpoint when idle. */
export { checkpointOpenFiles, setJournalPolicy } from '../db/store.js';

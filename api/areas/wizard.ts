// The 绩效目标 wizard (handlers in api/wizard-service.ts), over a view of the session with the hooks that keep
// the session's budget, tables and 审核 counts in step after the wizard writes.
import type { DepartmentPerformance, Project } from '../../core/model.js';
import { defineAreaOver } from '../handlers.js';
import type { Session } from '../session.js';
import { WIZARD_HANDLERS, type WizardSession } from '../wizard-service.js';

/** The open budget for the wizard, with the hooks that keep this session in step after it writes. */
function wizardSession(s: Session): WizardSession {
  const { store, budget, book, engine } = s.requireBudget();
  const replaceProject = (code: string, next: Project | null) => {
    const i = budget.projects.findIndex((p) => p.code === code);
    if (next && i >= 0) budget.projects[i] = next;
    else if (next) budget.projects.push(next);
    else if (i >= 0) budget.projects.splice(i, 1);
  };
  return {
    store,
    budget,
    book,
    engine,
    lines: () => [...s.lines.values()].sort((a, b) => a.id - b.id),
    projectSaved: (before: Project | null, after: Project) => {
      // A new code was carried to the project's lines in the file (ON UPDATE CASCADE): re-read everything.
      if (before && before.code !== after.code) return s.load();
      replaceProject(after.code, after);
      engine.updateProject(after);
      s.budgetPartsChanged();
    },
    projectRemoved: (project: Project) => {
      replaceProject(project.code, null);
      engine.removeProject(project.code);
      s.budgetPartsChanged();
    },
    departmentSaved: (performance: DepartmentPerformance | null) => {
      budget.departmentPerformance = performance;
      engine.setDepartmentPerformance(performance);
      s.budgetPartsChanged();
    },
  };
}

export const wizardArea = defineAreaOver('wizard', wizardSession, WIZARD_HANDLERS);

// The whole disclosure document (预算说明 + tables), drafted from the budget: pure domain, no I/O.
export * from './figures.js';
export * from './fields.js';
export * from './draft.js';
export * from './charts.js';
export { DOCUMENT_RULES, narrativeFigureDisagrees } from './audit.js';
export { priorYearFromBudget } from './prior.js';

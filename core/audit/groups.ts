// 审核 findings by group: each finding counts under its severity, its rule and the unit it belongs to (the
// unit of the line, the project or the table row it points at; '' when it points at none, e.g. a table total).
// The session's incremental audit keeps these counts edit by edit; the audit screen lists the groups and,
// for one group, its places. A full audit grouped here gives exactly the kept counts (a property test).
import type { AuditContext } from './context.js';
import type { Finding, FindingPlace, Severity } from './types.js';

const SEP = '\u0001';

/** The key of a group: severity, rule and unit. */
export function groupKey(severity: Severity, rule: string, unit: string): string {
  return severity + SEP + rule + SEP + unit;
}

export function splitGroupKey(key: string): { severity: Severity; rule: string; unit: string } {
  const [severity, rule, unit] = key.split(SEP) as [Severity, string, string];
  return { severity, rule, unit };
}

/**
 * The unit a finding belongs to: its line's (`lineUnit` knows the lines), else its project's, else its table
 * row's, else the unit its row names; '' for none.
 */
export function findingUnit(place: FindingPlace, context: AuditContext, lineUnit: (id: number) => string | undefined): string {
  if (place.line !== undefined) {
    const unit = lineUnit(place.line);
    if (unit !== undefined) return unit;
  }
  if (place.project !== undefined) {
    const project = context.projectByCode.get(place.project);
    if (project) return project.unit;
  }
  if (place.row !== undefined) {
    if (place.table !== undefined) {
      const row = context.row(context.table(place.table), place.row);
      if (row?.unit !== undefined) return row.unit;
    }
    if (context.unitByCode.has(place.row)) return place.row;
  }
  return '';
}

/** Counts of a list of findings by group key. */
export function groupFindings(findings: readonly Finding[], context: AuditContext, lineUnit: (id: number) => string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of findings) {
    const key = groupKey(f.severity, f.rule, findingUnit(f.place, context, lineUnit));
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** Adds `n` to a group's count, dropping groups that reach zero. */
export function bumpGroup(counts: Map<string, number>, key: string, n: number): void {
  if (n === 0) return;
  const next = (counts.get(key) ?? 0) + n;
  if (next === 0) counts.delete(key);
  else counts.set(key, next);
}

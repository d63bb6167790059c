// The default code lists that ship with the app (data/reference). They apply to any fiscal year that has
// no list of its own; a year's official list, loaded by the user, is merged over them in the budget file.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeList,
  EconomicMapping,
  parseCodeListCsv,
  parseEconomicMappingCsv,
  type CodeBook,
  type CodeEntry,
  type CodeListKind,
} from '../core/codelists.js';

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');

const FILES: Record<CodeListKind, string> = {
  functional: 'functional-classification.csv',
  economic: 'economic-classification-department.csv',
  'government-economic': 'economic-classification-government.csv',
};

const cache = new Map<CodeListKind, CodeEntry[]>();

export function defaultEntries(kind: CodeListKind): CodeEntry[] {
  let entries = cache.get(kind);
  if (!entries) {
    const parsed = parseCodeListCsv(readFileSync(join(DATA_DIR, 'reference', FILES[kind]), 'utf8'), kind);
    if (!parsed.ok) throw new Error(`default code list ${FILES[kind]} is invalid: ${JSON.stringify(parsed.problems[0])}`);
    entries = parsed.entries;
    cache.set(kind, entries);
  }
  return entries;
}

let mappingCache: EconomicMapping | undefined;
export function defaultMapping(): EconomicMapping {
  mappingCache ??= new EconomicMapping(
    parseEconomicMappingCsv(readFileSync(join(DATA_DIR, 'reference', 'economic-mapping.csv'), 'utf8')),
  );
  return mappingCache;
}

/** The code book of a year from the shipped defaults alone (no year-specific list). */
export function defaultCodeBook(year: number): CodeBook {
  return {
    year,
    functional: new CodeList('functional', defaultEntries('functional')),
    economic: new CodeList('economic', defaultEntries('economic')),
    government: new CodeList('government-economic', defaultEntries('government-economic')),
    mapping: defaultMapping(),
  };
}

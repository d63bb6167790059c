// The eleven published tables: definitions as data, one incremental engine, JSON and text outputs.
export { TableEngine, computeTables, type ChangedCell, type LineChange, type IncomeChange } from './engine.js';
export { reportToJson, reportToText, tableToText, formatCell, displayWidth, type JsonTable, type JsonRow, type JsonColumn } from './output.js';
export {
  TABLE_IDS,
  isTableId,
  leafColumns,
  type TableId,
  type ReportTable,
  type ReportRow,
  type ReportColumn,
  type RowKind,
  type AmountFormat,
  type GovernmentClass,
  type TableLayout,
} from './report.js';
export {
  tableDefinitions,
  SHIPPED_FORMATS,
  DEFAULT_FORMAT_ID,
  defaultFormat,
  FISCAL_FUND_GROUPS,
  PROJECT_AMOUNT_FIELDS,
  type TableDefinition,
  type ColumnSpec,
  type FixedRowSpec,
  type RowsSpec,
  type DefinitionContext,
} from './definitions.js';
export { parsePublicationFormat, formatDefinitions, PUBLICATION_FORMAT_VERSION, type PublicationFormat, type ParseFormatResult } from './format.js';
export { compilePredicate, type LinePredicate, type LineFacts } from './predicates.js';
export { YEAR_LABELS, functionalClassLabel, chineseOrdinal, type YearLabels } from './years.js';

// The table a department database keeps received unit packages in.
//
// Written as CREATE … IF NOT EXISTS and run inside the receiving transaction: the store's migration runner
// numbers its files 0001… without gaps, so this table travels with the receiver until it gets a migration
// number of its own (the same statement then becomes that migration file unchanged).
export const RECEIVED_PACKAGES_SCHEMA = `
CREATE TABLE IF NOT EXISTS received_packages (
  unit_code      TEXT PRIMARY KEY,
  unit_name      TEXT NOT NULL,
  fiscal_year    INTEGER NOT NULL,
  file_name      TEXT NOT NULL,
  package_sha256 TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  received_at    TEXT NOT NULL,
  manifest       TEXT NOT NULL,
  budget         TEXT NOT NULL
);
`;

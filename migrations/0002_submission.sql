-- 上报 (submission): what this file submitted and the lock that follows; in a supervising department's file,
-- the packages received from its units.
--
-- received_packages existed before this migration (created by the receiver on first use), hence IF NOT EXISTS.
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

-- Each package exported from this file: its manifest and the exact budget.json it carried. line_ids holds
-- the storage id of each snapshot line (in order) when the snapshot is this file's own budget, so the diff
-- since the submission can follow a line through edits of any of its fields.
CREATE TABLE submissions (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at TEXT NOT NULL,
  file_name  TEXT NOT NULL,
  manifest   TEXT NOT NULL,
  snapshot   TEXT NOT NULL,
  line_ids   TEXT
);

-- The lock: the budget is locked while the latest event is 'submitted'. Unlocking needs a reason.
CREATE TABLE lock_events (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  event         TEXT NOT NULL CHECK (event IN ('submitted', 'unlocked')),
  at            TEXT NOT NULL,
  actor         TEXT,
  reason        TEXT,
  submission_id INTEGER REFERENCES submissions (id),
  CHECK ((event = 'submitted') = (submission_id IS NOT NULL)),
  CHECK (event = 'submitted' OR length(trim(coalesce(reason, ''))) > 0)
);

-- The record of submissions and of locking is kept as written.
CREATE TRIGGER submissions_keep_update BEFORE UPDATE ON submissions
BEGIN SELECT RAISE(ABORT, '上报记录不能修改或删除'); END;
CREATE TRIGGER submissions_keep_delete BEFORE DELETE ON submissions
BEGIN SELECT RAISE(ABORT, '上报记录不能修改或删除'); END;
CREATE TRIGGER lock_events_keep_update BEFORE UPDATE ON lock_events
BEGIN SELECT RAISE(ABORT, '上报记录不能修改或删除'); END;
CREATE TRIGGER lock_events_keep_delete BEFORE DELETE ON lock_events
BEGIN SELECT RAISE(ABORT, '上报记录不能修改或删除'); END;

-- While locked, the budget, its code lists and the received packages refuse every change, whichever program
-- writes them; the store checks first and gives the same message. (meta is the app's own bookkeeping — undo
-- history, wizard positions — and stays writable.) A later migration that rewrites rows of these tables must
-- allow for a locked file: DML fires these triggers; a table rebuilt under a new name needs them recreated.

CREATE TRIGGER budget_locked_insert BEFORE INSERT ON budget
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER budget_locked_update BEFORE UPDATE ON budget
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER budget_locked_delete BEFORE DELETE ON budget
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER units_locked_insert BEFORE INSERT ON units
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER units_locked_update BEFORE UPDATE ON units
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER units_locked_delete BEFORE DELETE ON units
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER projects_locked_insert BEFORE INSERT ON projects
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER projects_locked_update BEFORE UPDATE ON projects
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER projects_locked_delete BEFORE DELETE ON projects
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER project_indicators_locked_insert BEFORE INSERT ON project_indicators
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER project_indicators_locked_update BEFORE UPDATE ON project_indicators
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER project_indicators_locked_delete BEFORE DELETE ON project_indicators
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER lines_locked_insert BEFORE INSERT ON lines
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER lines_locked_update BEFORE UPDATE ON lines
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER lines_locked_delete BEFORE DELETE ON lines
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER income_locked_insert BEFORE INSERT ON income
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER income_locked_update BEFORE UPDATE ON income
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER income_locked_delete BEFORE DELETE ON income
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER procurement_locked_insert BEFORE INSERT ON procurement
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER procurement_locked_update BEFORE UPDATE ON procurement
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER procurement_locked_delete BEFORE DELETE ON procurement
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER department_performance_locked_insert BEFORE INSERT ON department_performance
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER department_performance_locked_update BEFORE UPDATE ON department_performance
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER department_performance_locked_delete BEFORE DELETE ON department_performance
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER department_tasks_locked_insert BEFORE INSERT ON department_tasks
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER department_tasks_locked_update BEFORE UPDATE ON department_tasks
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER department_tasks_locked_delete BEFORE DELETE ON department_tasks
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER department_indicators_locked_insert BEFORE INSERT ON department_indicators
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER department_indicators_locked_update BEFORE UPDATE ON department_indicators
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER department_indicators_locked_delete BEFORE DELETE ON department_indicators
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER prior_year_locked_insert BEFORE INSERT ON prior_year
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER prior_year_locked_update BEFORE UPDATE ON prior_year
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER prior_year_locked_delete BEFORE DELETE ON prior_year
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER code_entries_locked_insert BEFORE INSERT ON code_entries
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER code_entries_locked_update BEFORE UPDATE ON code_entries
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER code_entries_locked_delete BEFORE DELETE ON code_entries
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER economic_mapping_locked_insert BEFORE INSERT ON economic_mapping
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER economic_mapping_locked_update BEFORE UPDATE ON economic_mapping
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER economic_mapping_locked_delete BEFORE DELETE ON economic_mapping
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER code_list_loads_locked_insert BEFORE INSERT ON code_list_loads
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER code_list_loads_locked_update BEFORE UPDATE ON code_list_loads
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER code_list_loads_locked_delete BEFORE DELETE ON code_list_loads
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER received_packages_locked_insert BEFORE INSERT ON received_packages
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER received_packages_locked_update BEFORE UPDATE ON received_packages
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER received_packages_locked_delete BEFORE DELETE ON received_packages
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

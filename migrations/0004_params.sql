-- The finance bureau's yearly parameter package (budget-params/1) and what it sets in the budget file: the
-- 审核 rules' levels and parameters, rules written as data (identities between table cells), the 控制数, and the
-- budget (一般公共预算 / 政府性基金 / 国有资本经营) each functional 项 belongs to. Reasons for large changes
-- against last year are the user's. Amounts are INTEGER 分.

-- Each package imported: where it came from and what it changed (the preview, as JSON), kept as written.
CREATE TABLE param_packages (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  imported_at    TEXT NOT NULL,
  file_name      TEXT NOT NULL,
  package_sha256 TEXT NOT NULL,
  fiscal_year    INTEGER NOT NULL,
  authority_code TEXT NOT NULL,
  authority_name TEXT NOT NULL,
  issued_at      TEXT NOT NULL,
  manifest       TEXT NOT NULL,
  changes        TEXT NOT NULL
);

-- A rule's level and parameters where they differ from the built-in rule set, and who set them: a package
-- (package = its id) or the user (with the reason they gave).
CREATE TABLE rule_settings (
  rule       TEXT PRIMARY KEY,
  level      TEXT CHECK (level IN ('hard', 'soft', 'off')),
  params     TEXT NOT NULL DEFAULT '{}',
  source     TEXT NOT NULL CHECK (source IN ('package', 'user')),
  package    INTEGER REFERENCES param_packages (id),
  reason     TEXT,
  changed_at TEXT NOT NULL,
  CHECK (source = 'package' OR length(trim(coalesce(reason, ''))) > 0)
);

-- Every change of a rule's setting, by a package or by the user, as it happened.
CREATE TABLE rule_setting_log (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  at      TEXT NOT NULL,
  rule    TEXT NOT NULL,
  before  TEXT NOT NULL,
  after   TEXT NOT NULL,
  source  TEXT NOT NULL CHECK (source IN ('package', 'user')),
  package INTEGER REFERENCES param_packages (id),
  reason  TEXT
);

-- Rules written as data that a package brought: expressions is a JSON array of {expression, because?}.
CREATE TABLE rule_identities (
  id          TEXT PRIMARY KEY,
  position    INTEGER NOT NULL,
  level       TEXT NOT NULL CHECK (level IN ('hard', 'soft', 'off')),
  description TEXT NOT NULL,
  expressions TEXT NOT NULL,
  package     INTEGER REFERENCES param_packages (id)
);

-- 控制数: by unit, fund group and 基本/项目 ('' = the unit's whole kind, else one project's own ceiling).
CREATE TABLE ceilings (
  unit       TEXT NOT NULL,
  fund_group TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('basic', 'project')),
  project    TEXT NOT NULL DEFAULT '',
  amount     INTEGER NOT NULL CHECK (amount >= 0),
  package    INTEGER REFERENCES param_packages (id),
  PRIMARY KEY (unit, fund_group, kind, project)
);

-- Why a functional code's amount changes against last year (reason), and last year's reason for the same code
-- offered as a starting text (prior_reason, from last year's budget).
CREATE TABLE change_reasons (
  code         TEXT PRIMARY KEY,
  reason       TEXT,
  prior_reason TEXT
);

-- The budget a functional 项 belongs to in a year's code list.
CREATE TABLE code_item_budgets (
  year   INTEGER NOT NULL,
  code   TEXT NOT NULL,
  budget TEXT NOT NULL CHECK (budget IN ('gpb', 'gfb', 'state-capital-budget')),
  PRIMARY KEY (year, code)
);

-- The record of imported packages and of rule changes is kept as written.
CREATE TRIGGER param_packages_keep_update BEFORE UPDATE ON param_packages
BEGIN SELECT RAISE(ABORT, '参数包导入记录不能修改或删除'); END;
CREATE TRIGGER param_packages_keep_delete BEFORE DELETE ON param_packages
BEGIN SELECT RAISE(ABORT, '参数包导入记录不能修改或删除'); END;
CREATE TRIGGER rule_setting_log_keep_update BEFORE UPDATE ON rule_setting_log
BEGIN SELECT RAISE(ABORT, '审核规则的修改记录不能修改或删除'); END;
CREATE TRIGGER rule_setting_log_keep_delete BEFORE DELETE ON rule_setting_log
BEGIN SELECT RAISE(ABORT, '审核规则的修改记录不能修改或删除'); END;

-- While the budget is locked (submitted), none of this changes.

CREATE TRIGGER param_packages_locked_insert BEFORE INSERT ON param_packages
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER rule_settings_locked_insert BEFORE INSERT ON rule_settings
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER rule_settings_locked_update BEFORE UPDATE ON rule_settings
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER rule_settings_locked_delete BEFORE DELETE ON rule_settings
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER rule_setting_log_locked_insert BEFORE INSERT ON rule_setting_log
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER rule_identities_locked_insert BEFORE INSERT ON rule_identities
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER rule_identities_locked_update BEFORE UPDATE ON rule_identities
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER rule_identities_locked_delete BEFORE DELETE ON rule_identities
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER ceilings_locked_insert BEFORE INSERT ON ceilings
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER ceilings_locked_update BEFORE UPDATE ON ceilings
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER ceilings_locked_delete BEFORE DELETE ON ceilings
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER change_reasons_locked_insert BEFORE INSERT ON change_reasons
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER change_reasons_locked_update BEFORE UPDATE ON change_reasons
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER change_reasons_locked_delete BEFORE DELETE ON change_reasons
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER code_item_budgets_locked_insert BEFORE INSERT ON code_item_budgets
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER code_item_budgets_locked_update BEFORE UPDATE ON code_item_budgets
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER code_item_budgets_locked_delete BEFORE DELETE ON code_item_budgets
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

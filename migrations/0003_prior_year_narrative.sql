-- Last year's budget in detail and the user-typed text of the 预算说明.
--
-- prior_year keeps 收支总计 and “三公”经费 共计; every other prior-year figure is a row here:
--   kind 'summary'      code basic | project | general-public-budget | government-fund | operating-cost
--   kind 'three-public' code abroad | reception | vehicleRunning | vehiclePurchase
--   kind 'functional'   code a functional 类 (3 digits), 款 (5) or 项 (7)
--   kind 'economic'     code a department economic 类 (3) or 款 (5)
CREATE TABLE prior_year_amounts (
  kind   TEXT NOT NULL CHECK (kind IN ('summary', 'three-public', 'functional', 'economic')),
  code   TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (kind, code)
);

-- The parts of the 预算说明 the budget does not hold (主要职能, 主要原因, asset counts, 名词解释 …), by key.
CREATE TABLE narrative_texts (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TRIGGER prior_year_amounts_locked_insert BEFORE INSERT ON prior_year_amounts
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER prior_year_amounts_locked_update BEFORE UPDATE ON prior_year_amounts
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER prior_year_amounts_locked_delete BEFORE DELETE ON prior_year_amounts
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER narrative_texts_locked_insert BEFORE INSERT ON narrative_texts
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER narrative_texts_locked_update BEFORE UPDATE ON narrative_texts
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

CREATE TRIGGER narrative_texts_locked_delete BEFORE DELETE ON narrative_texts
WHEN (SELECT event FROM lock_events ORDER BY id DESC LIMIT 1) = 'submitted'
BEGIN SELECT RAISE(ABORT, '预算已上报并锁定，如需修改请先解锁'); END;

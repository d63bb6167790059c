-- The budget file: one department's budget for one fiscal year, plus the code lists it is compiled against.
-- Amounts are INTEGER 分. Codes are TEXT as published (leading zeros matter).

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE budget (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  fiscal_year     INTEGER NOT NULL,
  amount_unit     TEXT NOT NULL CHECK (amount_unit IN ('万元', '元')),
  department_code TEXT NOT NULL,
  department_name TEXT NOT NULL
);

CREATE TABLE units (
  code     TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  name     TEXT NOT NULL,
  kind     TEXT NOT NULL CHECK (kind IN ('administrative', 'public-institution', 'civil-servant-managed'))
);

CREATE TABLE projects (
  code               TEXT PRIMARY KEY,
  position           INTEGER NOT NULL,
  unit               TEXT NOT NULL REFERENCES units (code) ON UPDATE CASCADE,
  name               TEXT NOT NULL,
  category           TEXT NOT NULL CHECK (category IN ('general', 'special')),
  functional         TEXT,
  usage              TEXT,
  leader             TEXT,
  contact            TEXT,
  phone              TEXT,
  start_date         TEXT,
  end_date           TEXT,
  total_amount       INTEGER CHECK (total_amount >= 0),
  year_amount        INTEGER NOT NULL CHECK (year_amount >= 0),
  prior_total_amount INTEGER CHECK (prior_total_amount >= 0),
  prior_year_amount  INTEGER CHECK (prior_year_amount >= 0),
  overview           TEXT,
  basis              TEXT,
  necessity          TEXT,
  measures           TEXT,
  plan               TEXT,
  remarks            TEXT,
  overall_goal       TEXT,
  annual_goal        TEXT
);

CREATE TABLE project_indicators (
  project  TEXT NOT NULL REFERENCES projects (code) ON UPDATE CASCADE ON DELETE CASCADE,
  position INTEGER NOT NULL,
  level1   TEXT NOT NULL,
  level2   TEXT NOT NULL,
  name     TEXT NOT NULL,
  target   TEXT NOT NULL,
  note     TEXT,
  PRIMARY KEY (project, position)
) WITHOUT ROWID;

-- AUTOINCREMENT: an id is never handed out twice, so undo can restore a deleted line under its own id.
CREATE TABLE lines (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  unit       TEXT NOT NULL REFERENCES units (code) ON UPDATE CASCADE,
  functional TEXT NOT NULL,
  economic   TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('basic', 'project')),
  project    TEXT REFERENCES projects (code) ON UPDATE CASCADE,
  fund       TEXT NOT NULL,
  amount     INTEGER NOT NULL CHECK (amount >= 0),
  remark     TEXT,
  assumed    INTEGER NOT NULL DEFAULT 0 CHECK (assumed IN (0, 1)),
  CHECK ((kind = 'project') = (project IS NOT NULL))
);
CREATE INDEX lines_by_project ON lines (project);
CREATE INDEX lines_by_unit ON lines (unit);

CREATE TABLE income (
  id     INTEGER PRIMARY KEY AUTOINCREMENT,
  unit   TEXT NOT NULL REFERENCES units (code) ON UPDATE CASCADE,
  fund   TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0)
);

CREATE TABLE procurement (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  project  TEXT REFERENCES projects (code) ON UPDATE CASCADE,
  category TEXT NOT NULL CHECK (category IN ('goods', 'works', 'services')),
  amount   INTEGER NOT NULL CHECK (amount >= 0),
  assumed  INTEGER NOT NULL DEFAULT 0 CHECK (assumed IN (0, 1))
);

CREATE TABLE department_performance (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  duty_goal TEXT NOT NULL
);

CREATE TABLE department_tasks (
  position INTEGER PRIMARY KEY,
  name     TEXT NOT NULL,
  content  TEXT NOT NULL
);

CREATE TABLE department_indicators (
  position INTEGER PRIMARY KEY,
  level1   TEXT NOT NULL,
  level2   TEXT NOT NULL,
  name     TEXT NOT NULL,
  target   TEXT NOT NULL,
  note     TEXT
);

CREATE TABLE prior_year (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  total        INTEGER CHECK (total >= 0),
  three_public INTEGER CHECK (three_public >= 0)
);

-- Code lists per fiscal year. source 'default' rows are the shipped lists as they were when the budget of that
-- year was first stored here (so an app upgrade does not change what the file was compiled against);
-- 'loaded' rows come from a list the user loaded and take precedence.
CREATE TABLE code_entries (
  year   INTEGER NOT NULL,
  kind   TEXT NOT NULL CHECK (kind IN ('functional', 'economic', 'government-economic')),
  code   TEXT NOT NULL,
  name   TEXT NOT NULL,
  level  TEXT NOT NULL CHECK (level IN ('类', '款', '项')),
  parent TEXT,
  source TEXT NOT NULL CHECK (source IN ('default', 'loaded')),
  PRIMARY KEY (year, kind, code)
) WITHOUT ROWID;

CREATE TABLE economic_mapping (
  year           INTEGER NOT NULL,
  department     TEXT NOT NULL,
  administrative TEXT,
  institution    TEXT,
  PRIMARY KEY (year, department)
) WITHOUT ROWID;

-- What was loaded into code_entries, when: the snapshot of the defaults and each user-loaded list.
CREATE TABLE code_list_loads (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  year      INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  source    TEXT NOT NULL CHECK (source IN ('default', 'loaded')),
  loaded_at TEXT NOT NULL,
  added     INTEGER NOT NULL,
  changed   INTEGER NOT NULL
);

-- Which budget each functional 科目 belongs to (一般公共预算 'general', 政府性基金预算 'fund', 国有资本经营预算
-- 'state-capital'), from the shipped list or a loaded official list. NULL: as its parent; for rows stored before
-- this column existed, the shipped list of the app says (the file held no such column to keep).
ALTER TABLE code_entries ADD COLUMN budget TEXT CHECK (budget IN ('general', 'fund', 'state-capital'));

-- Default values of the rules that officials may tune. One table of settings; a row with a region_id
-- (a township) overrides the county-wide default for that township.
INSERT INTO "settings" ("key", "region_id", "value") VALUES
  ('check.intervalDays', NULL, '30'),
  ('check.monitoredIntervalDays', NULL, '15'),
  ('check.editWindowHours', NULL, '24'),
  ('cadre.maxHouseholds', NULL, '30'),
  ('coverage.windowDays', NULL, '30'),
  ('points.checkOnTime', NULL, '2'),
  ('points.checkLate', NULL, '-1'),
  ('points.problemFound', NULL, '1'),
  ('points.problemSolved', NULL, '3'),
  ('points.householdOverdue', NULL, '-2');

-- The benchmark policy (examples/bench/bench.policy) in SQL, for DuckDB: the same cards, the same
-- annual average, the same rounding, written as `person,name,period,total,grade,final,flags`.
-- Run through examples/bench/duckdb_bench.py, which sets the thread count and the file paths.
CREATE TEMP TABLE roster AS SELECT * FROM read_csv('{roster}', header = true, all_varchar = true);
CREATE TEMP TABLE rec AS
  SELECT person, month(CAST(date AS DATE)) AS m,
         CASE kind WHEN '迟到' THEN 'late' ELSE kind END AS kind,
         TRY_CAST(days AS DECIMAL(18, 4)) AS days, TRY_CAST(hours AS DECIMAL(18, 4)) AS hours
  FROM read_csv('{records}', header = true, all_varchar = true);
CREATE TEMP TABLE pm AS
  SELECT person, m,
    count(*) FILTER (kind IN ('late', 'early_leave')) AS lates,
    count(*) FILTER (kind = 'absent') AS absents,
    count(*) FILTER (kind = 'hygiene_fail') AS hygiene,
    count(*) FILTER (kind = 'meeting_breach') AS meetings,
    coalesce(sum(hours) FILTER (kind = 'volunteer'), 0) AS hours,
    coalesce(sum(days) FILTER (kind = 'personal_leave'), 0) AS leave_days
  FROM rec GROUP BY person, m;
CREATE TEMP TABLE py AS
  SELECT person, sum(absents) AS absents_y, sum(leave_days) AS leave_y FROM pm GROUP BY person;
CREATE TEMP TABLE cards AS
  SELECT r.person, r.name, months.m,
    CASE WHEN coalesce(py.absents_y, 0) > 5 THEN 0 ELSE
      greatest(0, least(100, 100 - least(40, 5 * coalesce(pm.lates, 0)) - 10 * coalesce(pm.absents, 0)
        - CASE WHEN coalesce(py.leave_y, 0) > 15 THEN 20 ELSE 0 END)) END
    + greatest(0, least(100, 100 - least(30, 5 * coalesce(pm.hygiene, 0)) - 10 * coalesce(pm.meetings, 0)
        + 5 * coalesce(pm.hours, 0))) AS total
  FROM roster r CROSS JOIN (SELECT range + 1 AS m FROM range(12)) months
  LEFT JOIN pm ON pm.person = r.person AND pm.m = months.m
  LEFT JOIN py ON py.person = r.person;
COPY (
  SELECT person, name, period, total, grade, 'true' AS final, '' AS flags FROM (
    SELECT person, name, printf('2020-%02d', m) AS period, round(CAST(total AS DECIMAL(18, 4)), 2) AS total,
           '' AS grade, 0 AS ord, m FROM cards
    UNION ALL
    SELECT person, any_value(name), '2020', round(CAST(sum(total) AS DECIMAL(18, 6)) / 12, 2) AS t,
           CASE WHEN round(CAST(sum(total) AS DECIMAL(18, 6)) / 12, 2) >= 190 THEN 'A'
                WHEN round(CAST(sum(total) AS DECIMAL(18, 6)) / 12, 2) >= 150 THEN 'B' ELSE 'C' END,
           1, 13 FROM cards GROUP BY person)
  ORDER BY person, ord, m
) TO '{output}' (HEADER, DELIMITER ',');

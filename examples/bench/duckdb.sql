-- The benchmark policy (examples/bench/bench.policy) in SQL, for DuckDB: the same cards, the same
-- annual average, the same rounding, written as `person,name,period,total,grade,final,flags`.
-- Written for speed as a SQL user would: typed columns read straight from the file (no detection,
-- no text-to-number casts), aggregates over the file itself without temporary tables, and a record
-- kind's label (迟到) listed beside its id inside the FILTER.
-- Run through examples/bench/duckdb_bench.py, which sets the thread count and the file paths.
COPY (
  WITH rec AS (
    SELECT person, month(date) AS m, kind, days, hours
    FROM read_csv('{records}', header = true, auto_detect = false, columns = {{
      'date': 'DATE', 'kind': 'VARCHAR', 'person': 'VARCHAR', 'department': 'VARCHAR',
      'days': 'DECIMAL(18, 4)', 'hours': 'DECIMAL(18, 4)', 'note': 'VARCHAR'}})
  ),
  roster AS (
    SELECT person, name
    FROM read_csv('{roster}', header = true, auto_detect = false, columns = {{
      'person': 'VARCHAR', 'name': 'VARCHAR', 'department': 'VARCHAR', 'role': 'VARCHAR',
      'head': 'VARCHAR', 'temporary': 'VARCHAR'}})
  ),
  pm AS (
    SELECT person, m,
      count(*) FILTER (kind IN ('late', '迟到', 'early_leave', '早退')) AS lates,
      count(*) FILTER (kind IN ('absent', '无故缺岗')) AS absents,
      count(*) FILTER (kind IN ('hygiene_fail', '卫生检查不合格')) AS hygiene,
      count(*) FILTER (kind IN ('meeting_breach', '会议违纪')) AS meetings,
      coalesce(sum(hours) FILTER (kind IN ('volunteer', '志愿服务')), 0) AS hours,
      coalesce(sum(days) FILTER (kind IN ('personal_leave', '事假')), 0) AS leave_days
    FROM rec GROUP BY person, m
  ),
  py AS (
    SELECT person, sum(absents) AS absents_y, sum(leave_days) AS leave_y FROM pm GROUP BY person
  ),
  cards AS (
    SELECT r.person, r.name, months.m,
      CASE WHEN coalesce(py.absents_y, 0) > 5 THEN 0 ELSE
        greatest(0, least(100, 100 - least(40, 5 * coalesce(pm.lates, 0)) - 10 * coalesce(pm.absents, 0)
          - CASE WHEN coalesce(py.leave_y, 0) > 15 THEN 20 ELSE 0 END)) END
      + greatest(0, least(100, 100 - least(30, 5 * coalesce(pm.hygiene, 0)) - 10 * coalesce(pm.meetings, 0)
          + 5 * coalesce(pm.hours, 0))) AS total
    FROM roster r CROSS JOIN (SELECT range + 1 AS m FROM range(12)) months
    LEFT JOIN pm ON pm.person = r.person AND pm.m = months.m
    LEFT JOIN py ON py.person = r.person
  )
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

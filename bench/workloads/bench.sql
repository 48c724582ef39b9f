-- rvx bench workload (sqlite3): inserts, an index, joins and aggregates in memory.
-- rvx bench feeds it on stdin to `sqlite3 :memory:`, @SCALE@ replaced by the row count.
-- Prints a few result rows; must be identical on every engine and architecture.
CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, name TEXT, v REAL);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < @SCALE@)
INSERT INTO t(k, name, v) SELECT (i * 7919) % 1000, printf('n%06d', (i * 104729) % @SCALE@), i * 0.25 FROM c;
CREATE INDEX t_k ON t(k);
CREATE TABLE u AS SELECT k, count(*) AS n, sum(v) AS s FROM t GROUP BY k;
SELECT count(*), sum(k), round(sum(v), 2) FROM t;
SELECT k, n, round(s, 2) FROM u ORDER BY s DESC LIMIT 3;
SELECT count(*) FROM t JOIN u ON t.k = u.k WHERE t.v > u.s / u.n;
SELECT name FROM t WHERE k = 500 ORDER BY name LIMIT 2;
SELECT substr(group_concat(name, ''), 1, 40) FROM (SELECT name FROM t ORDER BY name DESC LIMIT 100);
UPDATE t SET v = v * 2 WHERE k % 3 = 0;
DELETE FROM t WHERE k % 5 = 0;
SELECT count(*), round(avg(v), 4) FROM t;

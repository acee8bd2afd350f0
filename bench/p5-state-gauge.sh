#!/usr/bin/env bash
# P5, the state gauges' cost at scale: the two queries RunMetrics runs every gateway.runs.metrics-refresh (15 s) per
# replica, timed on PostgreSQL over a run table of P5_RUNS rows (1,000,000; 3% not ended), built by the gateway's own
# migrations in a scratch schema that is dropped at the end. The baseline, in the same run, is count(*) of the table.
# Needs psql and PostgreSQL on 127.0.0.1:5432 (PGDATABASE test, PGUSER postgres unless set). Env: P5_RUNS, P5_ROUNDS (9).
set -euo pipefail
cd "$(dirname "$0")/.."
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGDATABASE=${PGDATABASE:-test} PGUSER=${PGUSER:-postgres}
RUNS=${P5_RUNS:-1000000}
ROUNDS=${P5_ROUNDS:-9}
SCHEMA=bench_p5_gauge
export PGOPTIONS="-c search_path=$SCHEMA"
psql -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $SCHEMA CASCADE; CREATE SCHEMA $SCHEMA;"
trap 'psql -q -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $SCHEMA CASCADE"' EXIT
for migration in src/main/resources/db/migration/V*.sql; do
  psql -q -v ON_ERROR_STOP=1 -f "$migration"
done
psql -q -v ON_ERROR_STOP=1 <<SQL
INSERT INTO run (id, asset, mode, cluster, launcher, spec, state, request_fingerprint, cancel_requested, event_count,
                 created_at, version)
SELECT gen_random_uuid(), 'bench/asset-' || (i % 100),
       CASE WHEN i % 4 = 0 THEN 'local' ELSE 'slurm' END,
       CASE WHEN i % 4 = 0 THEN NULL ELSE 'cluster-' || (i % 3) END,
       'bash', '{}',
       CASE WHEN i % 100 < 80 THEN 'COMPLETED' WHEN i % 100 < 90 THEN 'FAILED' WHEN i % 100 < 95 THEN 'CANCELLED'
            WHEN i % 100 < 97 THEN 'TIMED_OUT' WHEN i % 100 < 98 THEN 'RUNNING' WHEN i % 200 < 197 THEN 'QUEUED'
            ELSE 'ACCEPTED' END,
       md5(i::text), false, 5, now() - (i % 100000) * interval '1 minute', 1
FROM generate_series(1, $RUNS) AS i;
VACUUM ANALYZE run;
SQL

median_ms() { # the median of ROUNDS timings of one query, in ms
  for _ in $(seq "$ROUNDS"); do
    psql -qAt -c "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) $1" | python3 -c \
      'import json, sys; print(json.load(sys.stdin)[0]["Execution Time"])'
  done | sort -n | awk '{ t[NR] = $1 } END { printf "%.1f", t[int((NR + 1) / 2)] }'
}

by_state=$(median_ms "SELECT state, mode, cluster, count(id) FROM run GROUP BY state, mode, cluster")
oldest=$(median_ms "SELECT state, mode, cluster, min(created_at) FROM run
  WHERE state IN ('ACCEPTED', 'STAGING', 'QUEUED', 'RUNNING') GROUP BY state, mode, cluster")
count=$(median_ms "SELECT count(*) FROM run")
echo "runs: $RUNS; medians of $ROUNDS on PostgreSQL $(psql -qAt -c 'SHOW server_version')"
echo "gateway_runs (count by state, mode, cluster): $by_state ms"
echo "gateway_runs_oldest_age_seconds (oldest not-ended run by state, mode, cluster): $oldest ms"
echo "baseline count(*): $count ms"

-- pgbench script for the raw insert rate (run by bench/run.ts): one single-row INSERT per
-- transaction (pgbench runs each script execution in autocommit, i.e. one commit per row) into
-- the scratch table `bench_insert` of the dedicated database `amtsweg_bench_<random>_raw`.
INSERT INTO bench_insert (payload) VALUES ('pgbench raw insert');

/**
 * The tables of registered SLOs and their SLI data (versions 350-399 of the reliability range).
 *
 * SLI points refer to their SLO by a small integer key rather than by its text id: the points table
 * is the big one (43 million rows for 1,000 SLOs at one point a minute over 30 days), and a 4-byte
 * key keeps it compact and its joins cheap.
 *
 * Only PostgreSQL gets a primary key on the points. On DuckDB an index over tens of millions of
 * points costs ten times the load time and gigabytes of memory (measured in
 * bench/slo-evaluate.bench.ts); there one writer at a time (the store's write lock) and
 * `writeSliPoints`'s delete-then-insert keep (slo, start, end) unique instead.
 */
import type { Migration } from '../../store/migrations.js';

export const sloMigrations: readonly Migration[] = [
  {
    version: 350,
    name: 'registered SLOs and their SLI points',
    up: (dialect) => [
      'CREATE SEQUENCE slo_key_seq START 1',
      `CREATE TABLE slo_specs (
        slo_id TEXT PRIMARY KEY,
        slo_key INTEGER NOT NULL UNIQUE,
        name TEXT NOT NULL,
        service TEXT NOT NULL,
        component TEXT NOT NULL,
        component_source TEXT NOT NULL,
        display_name TEXT,
        objective {{double}} NOT NULL,
        budgeting_method TEXT NOT NULL,
        window_type TEXT NOT NULL,
        window_duration TEXT NOT NULL,
        window_seconds {{double}} NOT NULL,
        calendar_start TEXT,
        calendar_time_zone TEXT,
        time_slice_target {{double}},
        time_slice_seconds {{double}},
        spec {{json}} NOT NULL,
        spec_hash TEXT NOT NULL,
        source TEXT NOT NULL,
        source_file TEXT,
        max_point_seconds {{double}},
        created_at {{timestamp}} NOT NULL,
        updated_at {{timestamp}} NOT NULL
      )`,
      `CREATE TABLE slo_sli_points (
        slo_key INTEGER NOT NULL,
        start_at {{timestamp}} NOT NULL,
        end_at {{timestamp}} NOT NULL,
        good {{double}} NOT NULL,
        total {{double}} NOT NULL,
        source TEXT NOT NULL${dialect.engine === 'postgres' ? ',\n        PRIMARY KEY (slo_key, end_at, start_at)' : ''}
      )`,
      ...(dialect.engine === 'postgres' ? ['CREATE INDEX slo_specs_component ON slo_specs (component)'] : []),
    ],
  },
];

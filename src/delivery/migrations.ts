/**
 * The delivery domain's tables (versions 200-299).
 *
 * Records as ingested (`delivery_deployments` ... `delivery_raw_events`), keyed by their
 * idempotency key; the raw service names seen and the catalog component each resolves to
 * (`delivery_services`); and what the attribution step derives from them per track (the set of
 * environments that count as production) and service: each deployment's facts and each change's
 * lead times (`delivery_deployment_facts`, `delivery_changes`). Metrics read the derived tables
 * with set-based SQL; the derived tables carry no primary key because they are rewritten per
 * service (delete, then bulk insert), which DuckDB does fastest without an index to maintain.
 *
 * Shas lists (`parents`, `commits`) are stored as space-separated text: shas never contain spaces,
 * and text reads back faster than lists on both engines.
 */
import type { Migration } from '../store/migrations.js';

export const deliveryMigrations: readonly Migration[] = [
  {
    version: 200,
    name: 'delivery records, service resolution and attribution',
    up: (dialect) => [
      `CREATE TABLE delivery_deployments (
        id TEXT PRIMARY KEY,
        service TEXT NOT NULL,
        environment TEXT NOT NULL,
        production BOOLEAN,
        sha TEXT,
        status TEXT NOT NULL,
        started_at {{timestamp}},
        finished_at {{timestamp}},
        status_at {{timestamp}},
        rollback BOOLEAN,
        rollback_of TEXT,
        remediates TEXT,
        unplanned BOOLEAN,
        repository TEXT,
        artifact TEXT,
        source TEXT NOT NULL,
        source_ref TEXT,
        received_at {{timestamp}} NOT NULL
      )`,
      `CREATE TABLE delivery_commits (
        sha TEXT PRIMARY KEY,
        parents TEXT,
        authored_at {{timestamp}},
        committed_at {{timestamp}},
        repository TEXT,
        service TEXT,
        source TEXT NOT NULL
      )`,
      `CREATE TABLE delivery_pull_requests (
        id TEXT PRIMARY KEY,
        repository TEXT NOT NULL,
        number INTEGER,
        title TEXT,
        created_at {{timestamp}},
        first_commit_at {{timestamp}},
        first_review_at {{timestamp}},
        approved_at {{timestamp}},
        merged_at {{timestamp}},
        merge_commit_sha TEXT,
        head_sha TEXT,
        base_ref TEXT,
        commits TEXT,
        service TEXT,
        source TEXT NOT NULL,
        source_ref TEXT
      )`,
      `CREATE TABLE delivery_pushes (
        id TEXT PRIMARY KEY,
        repository TEXT NOT NULL,
        ref TEXT NOT NULL,
        before_sha TEXT NOT NULL,
        after_sha TEXT NOT NULL,
        commits TEXT NOT NULL,
        pushed_at {{timestamp}},
        source TEXT NOT NULL
      )`,
      `CREATE TABLE delivery_pipeline_runs (
        id TEXT PRIMARY KEY,
        pipeline TEXT NOT NULL,
        service TEXT,
        repository TEXT,
        sha TEXT,
        ref TEXT,
        status TEXT NOT NULL,
        queued_at {{timestamp}},
        started_at {{timestamp}},
        finished_at {{timestamp}} NOT NULL,
        source TEXT NOT NULL,
        source_ref TEXT
      )`,
      `CREATE TABLE delivery_task_runs (
        id TEXT PRIMARY KEY,
        pipeline_run_id TEXT,
        name TEXT NOT NULL,
        pipeline TEXT,
        sha TEXT,
        status TEXT NOT NULL,
        queued_at {{timestamp}},
        started_at {{timestamp}},
        finished_at {{timestamp}} NOT NULL,
        source TEXT NOT NULL,
        source_ref TEXT
      )`,
      `CREATE TABLE delivery_test_results (
        id TEXT PRIMARY KEY,
        pipeline_run_id TEXT,
        sha TEXT,
        suite TEXT,
        test TEXT NOT NULL,
        status TEXT NOT NULL,
        duration_seconds {{double}},
        attempt INTEGER,
        message TEXT,
        run_at {{timestamp}} NOT NULL,
        source TEXT NOT NULL
      )`,
      `CREATE TABLE delivery_test_suite_runs (
        id TEXT PRIMARY KEY,
        suite TEXT NOT NULL,
        pipeline_run_id TEXT,
        sha TEXT,
        status TEXT NOT NULL,
        environment TEXT,
        finished_at {{timestamp}} NOT NULL,
        source TEXT NOT NULL
      )`,
      `CREATE TABLE delivery_incident_signals (
        id TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL,
        incident_source TEXT NOT NULL,
        kind TEXT NOT NULL,
        signal_at {{timestamp}} NOT NULL,
        service TEXT,
        environment TEXT,
        sha TEXT,
        artifact TEXT,
        deployment_id TEXT,
        description TEXT,
        ticket_uri TEXT,
        source TEXT NOT NULL
      )`,
      `CREATE TABLE delivery_raw_events (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        type TEXT NOT NULL,
        received_at {{timestamp}} NOT NULL,
        reason TEXT NOT NULL,
        payload {{json}}
      )`,
      // Each raw service name seen, and the attribution key it resolves to: a catalog component ref,
      // or the name itself when nothing in the catalog matches (resolved = false).
      `CREATE TABLE delivery_services (
        service TEXT PRIMARY KEY,
        service_key TEXT NOT NULL,
        resolved BOOLEAN NOT NULL,
        rule TEXT NOT NULL
      )`,
      // Bumped whenever something the attribution of a service depends on changes.
      'CREATE TABLE delivery_service_versions (service_key TEXT PRIMARY KEY, version BIGINT NOT NULL)',
      `CREATE TABLE delivery_attribution_state (
        track TEXT NOT NULL,
        service_key TEXT NOT NULL,
        version BIGINT NOT NULL,
        PRIMARY KEY (track, service_key)
      )`,
      'CREATE TABLE delivery_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
      `CREATE TABLE delivery_deployment_facts (
        track TEXT NOT NULL,
        deployment_id TEXT NOT NULL,
        service_key TEXT NOT NULL,
        attributed BOOLEAN NOT NULL,
        finished_at {{timestamp}} NOT NULL,
        previous_id TEXT,
        baseline BOOLEAN NOT NULL,
        change_count INTEGER NOT NULL,
        failed BOOLEAN NOT NULL,
        failure_kind TEXT,
        decided_by TEXT,
        recovered_at {{timestamp}},
        rework BOOLEAN NOT NULL,
        rework_reason TEXT
      )`,
      `CREATE TABLE delivery_changes (
        track TEXT NOT NULL,
        service_key TEXT NOT NULL,
        attributed BOOLEAN NOT NULL,
        deployment_id TEXT NOT NULL,
        sha TEXT NOT NULL,
        deployed_at {{timestamp}} NOT NULL,
        pr_id TEXT,
        lead_committed {{double}},
        lead_authored {{double}},
        lead_merged {{double}}
      )`,
      // DuckDB scans these tables faster than it maintains more indexes; PostgreSQL needs them.
      ...(dialect.engine === 'postgres'
        ? [
            'CREATE INDEX delivery_deployments_service ON delivery_deployments (service)',
            'CREATE INDEX delivery_deployments_sha ON delivery_deployments (sha)',
            'CREATE INDEX delivery_deployments_repository ON delivery_deployments (lower(repository))',
            'CREATE INDEX delivery_deployments_rollback_of ON delivery_deployments (rollback_of)',
            'CREATE INDEX delivery_deployments_remediates ON delivery_deployments (remediates)',
            'CREATE INDEX delivery_commits_repository ON delivery_commits (lower(repository))',
            'CREATE INDEX delivery_commits_service ON delivery_commits (service)',
            'CREATE INDEX delivery_pull_requests_repository ON delivery_pull_requests (lower(repository))',
            'CREATE INDEX delivery_pull_requests_merge ON delivery_pull_requests (merge_commit_sha)',
            'CREATE INDEX delivery_pushes_repository ON delivery_pushes (lower(repository))',
            'CREATE INDEX delivery_pipeline_runs_finished ON delivery_pipeline_runs (finished_at)',
            'CREATE INDEX delivery_test_results_run_at ON delivery_test_results (run_at)',
            'CREATE INDEX delivery_services_key ON delivery_services (service_key)',
            'CREATE INDEX delivery_facts_service ON delivery_deployment_facts (track, service_key, finished_at)',
            'CREATE INDEX delivery_facts_finished ON delivery_deployment_facts (track, finished_at)',
            'CREATE INDEX delivery_facts_deployment ON delivery_deployment_facts (deployment_id)',
            'CREATE INDEX delivery_changes_service ON delivery_changes (track, service_key, deployed_at)',
            'CREATE INDEX delivery_changes_deployed ON delivery_changes (track, deployed_at)',
            'CREATE INDEX delivery_changes_deployment ON delivery_changes (deployment_id)',
            'CREATE INDEX delivery_changes_sha ON delivery_changes (sha)',
          ]
        : []),
    ],
  },
];

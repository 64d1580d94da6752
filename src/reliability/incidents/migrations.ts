/**
 * The incident tables (versions 300-349 of the reliability range).
 *
 * `incidents` keeps the whole normalised incident as `body` (the API serves it as is) and, as
 * columns, what the metrics filter and aggregate on. Services, links, action items and
 * notifications are their own tables so metrics join them set-wise. Due dates are `YYYY-MM-DD`
 * text: they compare as text, and both engines bind them the same way.
 */
import type { Migration } from '../../store/migrations.js';

export const incidentMigrations: readonly Migration[] = [
  {
    version: 300,
    name: 'incidents, their services, links, action items and notifications',
    up: (dialect) => [
      `CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        title TEXT NOT NULL,
        severity TEXT,
        status TEXT NOT NULL,
        started_at {{timestamp}} NOT NULL,
        detected_at {{timestamp}},
        acknowledged_at {{timestamp}},
        mitigated_at {{timestamp}},
        resolved_at {{timestamp}},
        closed_at {{timestamp}},
        cause_category TEXT,
        platform_caused BOOLEAN,
        postmortem_status TEXT,
        postmortem_due_date TEXT,
        postmortem_completed_at {{timestamp}},
        source_updated_at {{timestamp}} NOT NULL,
        hash TEXT NOT NULL,
        body {{json}} NOT NULL,
        created_at {{timestamp}} NOT NULL,
        updated_at {{timestamp}} NOT NULL
      )`,
      `CREATE TABLE incident_services (
        incident_id TEXT NOT NULL,
        service_ref TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (incident_id, service_ref)
      )`,
      `CREATE TABLE incident_links (
        incident_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        PRIMARY KEY (incident_id, kind, target)
      )`,
      `CREATE TABLE incident_action_items (
        incident_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        title TEXT NOT NULL,
        owner_team TEXT,
        priority TEXT,
        due_date TEXT,
        status TEXT NOT NULL,
        completed_at {{timestamp}},
        PRIMARY KEY (incident_id, item_id)
      )`,
      `CREATE TABLE incident_notifications (
        id TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL,
        sent_at {{timestamp}} NOT NULL,
        responder TEXT,
        responder_timezone TEXT,
        team_ref TEXT,
        channel TEXT NOT NULL,
        urgency TEXT NOT NULL,
        synthetic BOOLEAN NOT NULL
      )`,
      // DuckDB scans these sizes faster than it maintains indexes; PostgreSQL wants them.
      ...(dialect.engine === 'postgres'
        ? [
            'CREATE INDEX incidents_started ON incidents (started_at)',
            'CREATE INDEX incidents_source ON incidents (source)',
            'CREATE INDEX incident_services_service ON incident_services (service_ref, incident_id)',
            'CREATE INDEX incident_action_items_incident ON incident_action_items (incident_id)',
            'CREATE INDEX incident_notifications_incident ON incident_notifications (incident_id)',
            'CREATE INDEX incident_notifications_team ON incident_notifications (team_ref, sent_at)',
          ]
        : []),
    ],
  },
];

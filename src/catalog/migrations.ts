/**
 * The catalog's tables (versions 100-199).
 *
 * Entity refs are stored as lower-case keys (`component:default/checkout`) so that lookups are
 * case-insensitive like Backstage's; the entity body keeps the names as written.
 */
import type { Migration } from '../store/migrations.js';

export const catalogMigrations: readonly Migration[] = [
  {
    version: 100,
    name: 'catalog entities, tags, relations and locations',
    up: (dialect) => [
      `CREATE TABLE catalog_entities (
        entity_ref TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        title TEXT,
        description TEXT,
        spec_type TEXT,
        lifecycle TEXT,
        owner_ref TEXT,
        system_ref TEXT,
        domain_ref TEXT,
        tier TEXT,
        body {{json}} NOT NULL,
        hash TEXT NOT NULL,
        location_key TEXT NOT NULL,
        location_line INTEGER,
        warnings {{json}},
        created_at {{timestamp}} NOT NULL,
        updated_at {{timestamp}} NOT NULL
      )`,
      'CREATE TABLE catalog_tags (entity_ref TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (entity_ref, tag))',
      `CREATE TABLE catalog_relations (
        origin_ref TEXT NOT NULL,
        source_ref TEXT NOT NULL,
        type TEXT NOT NULL,
        target_ref TEXT NOT NULL,
        PRIMARY KEY (origin_ref, source_ref, type, target_ref)
      )`,
      `CREATE TABLE catalog_locations (
        location_key TEXT PRIMARY KEY,
        root_key TEXT NOT NULL,
        imported_at {{timestamp}} NOT NULL
      )`,
      // DuckDB scans 10,000s of rows faster than it maintains extra indexes; PostgreSQL wants them.
      ...(dialect.engine === 'postgres'
        ? [
            'CREATE INDEX catalog_entities_kind ON catalog_entities (kind)',
            'CREATE INDEX catalog_entities_owner ON catalog_entities (owner_ref)',
            'CREATE INDEX catalog_entities_system ON catalog_entities (system_ref)',
            'CREATE INDEX catalog_entities_location ON catalog_entities (location_key)',
            'CREATE INDEX catalog_tags_tag ON catalog_tags (tag)',
            'CREATE INDEX catalog_relations_source ON catalog_relations (source_ref, type)',
            'CREATE INDEX catalog_relations_target ON catalog_relations (target_ref, type)',
          ]
        : []),
    ],
  },
];

/**
 * The service names Pave has seen and the attribution key each resolves to
 * (`delivery_services`), and the version counters that tell the attribution step which services
 * changed (`delivery_service_versions`).
 *
 * Names are resolved against the catalog when first seen, and all of them again whenever the
 * catalog's components change (a component imported after its deployments, a new
 * `github.com/project-slug`): the keys that move are marked for re-attribution.
 */
import type { Queryable, Store } from '../store/Store.js';
import {
  type ComponentIndex,
  loadComponentIndex,
  resolveService,
  type ServiceResolution,
} from './serviceResolver.js';

const FINGERPRINT_KEY = 'catalog-fingerprint';

/**
 * The resolution of each name, registering (and resolving) the names not seen before.
 * `index` is loaded from the catalog only when a new name needs it.
 */
export async function registerServices(
  db: Queryable,
  names: Iterable<string>,
  index?: ComponentIndex,
): Promise<Map<string, ServiceResolution>> {
  const unique = [...new Set(names)];
  const result = new Map<string, ServiceResolution>();
  if (unique.length === 0) return result;
  const known = await db.query<{ service: string; service_key: string; resolved: boolean; rule: string }>(
    'SELECT service, service_key, resolved, rule FROM delivery_services WHERE service = ANY($1)',
    [unique],
  );
  for (const row of known) {
    result.set(row.service, {
      service: row.service,
      serviceKey: row.service_key,
      resolved: row.resolved,
      rule: row.rule,
    });
  }
  const fresh = unique.filter((name) => !result.has(name));
  if (fresh.length > 0) {
    const components = index ?? (await loadComponentIndex(db));
    const rows = fresh.map((name) => {
      const resolution = resolveService(name, components);
      result.set(name, resolution);
      return [name, resolution.serviceKey, resolution.resolved, resolution.rule];
    });
    await db.insertRows('delivery_services', ['service', 'service_key', 'resolved', 'rule'], rows, {
      onConflict: { target: ['service'], action: 'nothing' },
    });
  }
  return result;
}

/** Marks services as changed: their attribution is recomputed before the next metrics read it. */
export async function bumpServiceVersions(db: Queryable, keys: Iterable<string>): Promise<void> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return;
  await db.execute(
    `INSERT INTO delivery_service_versions (service_key, version)
       SELECT k, 1 FROM (SELECT unnest($1::text[]) AS k) u
     ON CONFLICT (service_key) DO UPDATE SET version = delivery_service_versions.version + 1`,
    [unique],
  );
}

/**
 * Re-resolves every known name if the catalog's components changed since the last time; bumps
 * the keys names moved from and to. Returns how many names changed their key.
 */
export async function refreshServiceResolution(store: Store): Promise<number> {
  const index = await loadComponentIndex(store);
  const [state] = await store.query<{ value: string }>('SELECT value FROM delivery_state WHERE key = $1', [
    FINGERPRINT_KEY,
  ]);
  if (state?.value === index.fingerprint) return 0;
  return store.transaction(async (tx) => {
    const rows = await tx.query<{ service: string; service_key: string; resolved: boolean; rule: string }>(
      'SELECT service, service_key, resolved, rule FROM delivery_services',
    );
    const changed: (string | boolean)[][] = [];
    const moved: string[] = [];
    for (const row of rows) {
      const resolution = resolveService(row.service, index);
      if (
        resolution.serviceKey !== row.service_key ||
        resolution.resolved !== row.resolved ||
        resolution.rule !== row.rule
      ) {
        changed.push([row.service, resolution.serviceKey, resolution.resolved, resolution.rule]);
        moved.push(row.service_key, resolution.serviceKey);
      }
    }
    if (changed.length > 0) {
      await tx.insertRows('delivery_services', ['service', 'service_key', 'resolved', 'rule'], changed, {
        onConflict: { target: ['service'], action: 'update' },
      });
      await bumpServiceVersions(tx, moved);
    }
    await tx.insertRows('delivery_state', ['key', 'value'], [[FINGERPRINT_KEY, index.fingerprint]], {
      onConflict: { target: ['key'], action: 'update' },
    });
    return changed.length;
  });
}

/** Every registered name, with its resolution: for `pave deployment services` and the docs' checks. */
export async function listServiceResolutions(db: Queryable): Promise<ServiceResolution[]> {
  const rows = await db.query<{ service: string; service_key: string; resolved: boolean; rule: string }>(
    'SELECT service, service_key, resolved, rule FROM delivery_services ORDER BY service',
  );
  return rows.map((row) => ({
    service: row.service,
    serviceKey: row.service_key,
    resolved: row.resolved,
    rule: row.rule,
  }));
}

/**
 * Marks for re-attribution the services of every deployment from one source: before a bulk
 * replacement of that source's rows (`pave demo` replaces its `demo` rows), so that services
 * whose deployments disappear are recomputed too.
 */
export async function markSourceServices(db: Queryable, source: string): Promise<void> {
  const rows = await db.query<{ service_key: string }>(
    `SELECT DISTINCT s.service_key FROM delivery_deployments d JOIN delivery_services s ON s.service = d.service
      WHERE d.source = $1`,
    [source],
  );
  await bumpServiceVersions(
    db,
    rows.map((row) => row.service_key),
  );
}

/**
 * What incidents need from the catalog, read once per import or report: services by ref, name,
 * title or PagerDuty service id (`pagerduty.com/service-id`); teams by ref, name or display name;
 * owners and tiers of services; users' time zones (`pave.dev/timezone`) by ref, name or e-mail.
 * Reads the catalog tables only (read-only, as the catalog domain allows).
 */
import { tryEntityRefKey } from '../../core/entityRef.js';
import type { Queryable } from '../../store/Store.js';
import type { ServiceHint, TeamHint } from './model.js';

export const PAGERDUTY_SERVICE_ANNOTATION = 'pagerduty.com/service-id';
export const TIMEZONE_ANNOTATION = 'pave.dev/timezone';

interface EntityRow {
  entity_ref: string;
  kind: string;
  name: string;
  title: string | null;
  owner_ref: string | null;
  tier: string | null;
  body: {
    metadata?: { annotations?: Record<string, unknown> };
    spec?: { profile?: { email?: unknown; displayName?: unknown } };
  };
}

/** A service hint resolved: the ref, and whether the catalog knows it. */
export type ServiceResolution = { ref: string; known: boolean } | { ref: undefined; unresolved: string };

/** Catalog lookups for one import or report. */
export class CatalogLookup {
  private readonly components = new Map<string, EntityRow>();
  private readonly componentsByName = new Map<string, string[]>();
  private readonly componentsByPagerDuty = new Map<string, string>();
  private readonly groups = new Set<string>();
  private readonly groupsByName = new Map<string, string>();
  private readonly userTimezones = new Map<string, string>();

  constructor(rows: readonly EntityRow[]) {
    for (const row of rows) {
      const kind = row.kind.toLowerCase();
      const annotations = row.body?.metadata?.annotations ?? {};
      if (kind === 'component') {
        this.components.set(row.entity_ref, row);
        for (const name of [row.name, row.title]) {
          if (!name) continue;
          const key = name.toLowerCase();
          const list = this.componentsByName.get(key) ?? [];
          if (!list.includes(row.entity_ref)) list.push(row.entity_ref);
          this.componentsByName.set(key, list);
        }
        const pagerDuty = annotations[PAGERDUTY_SERVICE_ANNOTATION];
        if (typeof pagerDuty === 'string' && pagerDuty)
          this.componentsByPagerDuty.set(pagerDuty, row.entity_ref);
      } else if (kind === 'group') {
        this.groups.add(row.entity_ref);
        const displayName = row.body?.spec?.profile?.displayName;
        for (const name of [row.name, row.title, typeof displayName === 'string' ? displayName : undefined]) {
          if (name && !this.groupsByName.has(name.toLowerCase())) {
            this.groupsByName.set(name.toLowerCase(), row.entity_ref);
          }
        }
      } else if (kind === 'user') {
        const timezone = annotations[TIMEZONE_ANNOTATION];
        if (typeof timezone !== 'string' || !timezone) continue;
        const email = row.body?.spec?.profile?.email;
        for (const key of [row.entity_ref, row.name, typeof email === 'string' ? email : undefined]) {
          if (key) this.userTimezones.set(key.toLowerCase(), timezone);
        }
      }
    }
  }

  /** Resolves a service hint: PagerDuty id first, then ref, then name or title. */
  resolveService(hint: ServiceHint): ServiceResolution {
    if (hint.pagerDutyId) {
      const ref = this.componentsByPagerDuty.get(hint.pagerDutyId);
      if (ref) return { ref, known: true };
    }
    if (hint.ref) {
      const text = hint.ref.trim();
      if (/[:/]/.test(text)) {
        const key = tryEntityRefKey(text, { defaultKind: 'component' });
        if (key) return { ref: key, known: this.components.has(key) };
      } else {
        const byName = this.byName(text);
        if (byName) return { ref: byName, known: true };
        const key = tryEntityRefKey(text, { defaultKind: 'component' });
        // A bare name the catalog does not know yet: Backstage's default kind and namespace.
        if (key) return { ref: key, known: false };
      }
    }
    if (hint.name) {
      const byName = this.byName(hint.name.trim());
      if (byName) return { ref: byName, known: true };
    }
    const label = [hint.pagerDutyId && `PagerDuty service ${hint.pagerDutyId}`, hint.name ?? hint.ref]
      .filter(Boolean)
      .join(' ');
    return { ref: undefined, unresolved: label || 'an unnamed service' };
  }

  /** A group ref for a team hint, or `undefined` when the catalog has no such group. */
  resolveTeam(hint: TeamHint): string | undefined {
    if (hint.ref) {
      const key = tryEntityRefKey(hint.ref.trim(), { defaultKind: 'group' });
      if (key && this.groups.has(key)) return key;
      const byName = this.groupsByName.get(hint.ref.trim().toLowerCase());
      if (byName) return byName;
    }
    if (hint.name) return this.groupsByName.get(hint.name.trim().toLowerCase());
    return undefined;
  }

  /** The owner ref of a component, if the catalog knows it. */
  ownerOf(serviceRef: string): string | undefined {
    return this.components.get(serviceRef)?.owner_ref ?? undefined;
  }

  /** The tier of a component (`pave.dev/tier`), if any. */
  tierOf(serviceRef: string): string | undefined {
    return this.components.get(serviceRef)?.tier ?? undefined;
  }

  /** The `pave.dev/timezone` of a user named by ref, name or e-mail. */
  timezoneOf(responder: string | undefined): string | undefined {
    if (!responder) return undefined;
    const key = responder.trim().toLowerCase();
    return (
      this.userTimezones.get(key) ??
      this.userTimezones.get(tryEntityRefKey(key, { defaultKind: 'user' }) ?? '')
    );
  }

  private byName(name: string): string | undefined {
    const refs = this.componentsByName.get(name.toLowerCase());
    if (!refs || refs.length === 0) return undefined;
    if (refs.length === 1) return refs[0];
    // The same name in several namespaces: the default namespace wins, else the first by ref.
    return refs.find((ref) => ref.startsWith('component:default/')) ?? [...refs].sort()[0];
  }
}

/** Reads the components, groups and users the lookups need. */
export async function loadCatalogLookup(db: Queryable): Promise<CatalogLookup> {
  const rows = await db.query<EntityRow>(
    `SELECT entity_ref, kind, name, title, owner_ref, tier, body FROM catalog_entities
      WHERE lower(kind) IN ('component', 'group', 'user')`,
  );
  return new CatalogLookup(rows);
}

/**
 * Two versions of one incident into one: what makes re-imports and webhook retries idempotent and
 * lets sources that each know part of an incident (the REST API, the analytics export, webhooks,
 * CDEvents signals) add up, in whatever order they arrive.
 *
 * - For each field, a real value beats an estimated one (`estimatedFields`), whatever their age.
 * - Otherwise the newer version (by `updatedAt`; a tie goes to the incoming one) wins every field it
 *   has; the older one fills the fields the newer lacks.
 * - `acknowledgedAt` is the earliest real acknowledgement of both (MTTA counts the first one, and a
 *   re-acknowledgement after an unacknowledge must not move it).
 * - Links, timeline events and action items are unions (by id; the newer version of an item wins).
 */
import type { ActionItem, Incident, TimelineEvent } from './model.js';
import { statusOf } from './timestampOrder.js';

/** Fields merged as lists, not by the newer-wins rule. */
const LIST_FIELDS = new Set([
  'services',
  'unresolvedServices',
  'teams',
  'deploymentIds',
  'shas',
  'timeline',
  'actionItems',
  'postmortem',
  'estimatedFields',
  'updatedAt',
  'status',
]);

/** Merges `incoming` into `stored`; returns a new incident. */
export function mergeIncidents(stored: Incident, incoming: Incident): Incident {
  const incomingNewer = Date.parse(incoming.updatedAt) >= Date.parse(stored.updatedAt);
  const [newer, older] = incomingNewer ? [incoming, stored] : [stored, incoming];
  const newerEstimated = new Set(newer.estimatedFields ?? []);
  const olderEstimated = new Set(older.estimatedFields ?? []);
  const merged = {} as Record<string, unknown>;
  const estimated: string[] = [];
  const keys = new Set([...Object.keys(older), ...Object.keys(newer)]);
  for (const key of keys) {
    if (LIST_FIELDS.has(key)) continue;
    const a = (newer as Record<string, unknown>)[key];
    const b = (older as Record<string, unknown>)[key];
    const aReal = a !== undefined && !newerEstimated.has(key);
    const bReal = b !== undefined && !olderEstimated.has(key);
    if (key === 'acknowledgedAt' && aReal && bReal) {
      merged[key] = Date.parse(a as string) <= Date.parse(b as string) ? a : b;
    } else if (aReal) merged[key] = a;
    else if (bReal) merged[key] = b;
    else if (a !== undefined || b !== undefined) {
      merged[key] = a ?? b;
      estimated.push(key);
    }
  }
  const result = merged as unknown as Incident;
  result.services = newer.services.length > 0 ? newer.services : older.services;
  const unresolved = newer.services.length > 0 ? newer.unresolvedServices : older.unresolvedServices;
  if (unresolved && unresolved.length > 0) result.unresolvedServices = unresolved;
  result.teams = newer.teams.length > 0 ? newer.teams : older.teams;
  result.deploymentIds = union(older.deploymentIds, newer.deploymentIds);
  result.shas = union(older.shas, newer.shas);
  result.timeline = unionById<TimelineEvent>(older.timeline, newer.timeline).sort(
    (a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id.localeCompare(b.id),
  );
  result.actionItems = unionById<ActionItem>(older.actionItems, newer.actionItems);
  if (newer.postmortem || older.postmortem) {
    result.postmortem = {
      ...(older.postmortem ?? {}),
      ...definedFields(newer.postmortem ?? {}),
    } as Incident['postmortem'];
  }
  if (estimated.length > 0) result.estimatedFields = estimated.sort();
  result.updatedAt = incomingNewer ? incoming.updatedAt : stored.updatedAt;
  result.status = statusOf(result);
  return result;
}

/** The fields of `value` that are not `undefined`. */
function definedFields<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== undefined) (out as Record<string, unknown>)[key] = field;
  }
  return out;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/** The items of both lists by id, in first-seen order; `newer`'s version of an id wins. */
function unionById<T extends { id: string }>(older: readonly T[], newer: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const item of older) byId.set(item.id, item);
  for (const item of newer) byId.set(item.id, item);
  return [...byId.values()];
}

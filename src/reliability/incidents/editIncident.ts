/**
 * Creating and updating one incident by hand (`POST /api/v1/incidents`, `PATCH
 * /api/v1/incidents/{id}`, `pave incident create|update`).
 *
 * A PATCH is a JSON merge patch (RFC 7396) on the incident's fields, with `null` clearing a field;
 * except that `timeline` and `actionItems` entries are added or replaced by `id` (an action item
 * without an id replaces the one with the same title, else gets the next `ai-<n>`), `postmortem` is
 * merged field by field, and `pages` adds pages. The update is the newest version (`updatedAt` is now), so a later import of an older
 * export does not undo it.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, hasErrors, InputError, type Problem } from '../../core/errors.js';
import type { Store } from '../../store/Store.js';
import { incidentDigest } from './canonicalIncident.js';
import { loadCatalogLookup } from './catalogLookup.js';
import { describe, isObject, RecordReader } from './ingest/inputReader.js';
import { readPaveIncident } from './ingest/paveInput.js';
import type { Incident, IncidentBatch } from './model.js';
import { getIncident } from './queries.js';
import { resolveDraft, resolveNotification } from './resolveDraft.js';
import { storedIncidents, storeIncidents, writeIncidents, writeNotifications } from './storeIncidents.js';
import { timestampOrderViolations } from './timestampOrder.js';

const FILE = 'request body';

/** The fields a patch may set. */
const PATCHABLE = new Set([
  'title',
  'description',
  'severity',
  'urgency',
  'startedAt',
  'detectedAt',
  'acknowledgedAt',
  'mitigatedAt',
  'resolvedAt',
  'closedAt',
  'services',
  'teams',
  'causeCategory',
  'platformCaused',
  'deploymentIds',
  'shas',
  'timeline',
  'postmortem',
  'actionItems',
  'pages',
  'url',
]);

/** Creates an incident; its id is `pave:<id>` (or the given source-qualified id), generated when absent. */
export async function createIncident(
  store: Store,
  body: unknown,
  options: { now?: Date; file?: string } = {},
): Promise<{ incident: Incident; problems: Problem[] }> {
  const now = options.now ?? new Date();
  const problems: Problem[] = [];
  const reader = new RecordReader(problems, { file: options.file ?? FILE, base: [] });
  const read = readPaveIncident(body, reader, {
    source: 'pave',
    generateId: () => `pave:${randomUUID()}`,
    updatedAt: now.toISOString(),
  });
  if (!read || hasErrors(problems)) throw new InputError(firstError(problems, 'invalid incident'), problems);
  if ((await storedIncidents(store, [read.incident.id])).size > 0) {
    throw new ConflictError(
      `incident ${read.incident.id} already exists; update it with PATCH /api/v1/incidents/{id}`,
    );
  }
  const batch: IncidentBatch = {
    incidents: [read.incident],
    notifications: read.pages,
    problems,
    read: 1,
    rejected: 0,
  };
  const report = await storeIncidents(store, batch, { atomic: true, now });
  return { incident: await getIncident(store, read.incident.id), problems: report.problems };
}

/** Applies a merge patch to a stored incident (found as `getIncident` finds it); see the module comment. */
export async function updateIncident(
  store: Store,
  id: string,
  patch: unknown,
  options: { now?: Date; file?: string } = {},
): Promise<{ incident: Incident; problems: Problem[] }> {
  const now = options.now ?? new Date();
  const file = options.file ?? FILE;
  const stored = await getIncident(store, id);
  const problems: Problem[] = [];
  const root = new RecordReader(problems, { file, base: [] }, stored.id);
  if (!isObject(patch)) {
    root.error([], `a patch must be an object, not ${describe(patch)}`);
    throw new InputError(firstError(problems, 'invalid patch'), problems);
  }
  for (const key of Object.keys(patch)) {
    if (!PATCHABLE.has(key))
      root.error([key], `"${key}" cannot be patched (fields: ${[...PATCHABLE].join(', ')})`);
  }
  if (hasErrors(problems)) throw new InputError(firstError(problems, 'invalid patch'), problems);

  const input: Record<string, unknown> = { ...asInput(stored) };
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'timeline') input.timeline = upsertById(stored.timeline, value, 'timeline', root);
    else if (key === 'actionItems')
      input.actionItems = upsertById(stored.actionItems, value, 'actionItems', root, 'ai-');
    else if (key === 'postmortem' && isObject(value)) {
      input.postmortem = withoutNulls({ ...(stored.postmortem ?? {}), ...value });
    } else if (value === null) delete input[key];
    else input[key] = value;
  }
  const reader = new RecordReader(problems, { file, base: [] });
  const updatedAt = new Date(Math.max(now.getTime(), Date.parse(stored.updatedAt) + 1)).toISOString();
  const read = readPaveIncident({ ...input, updatedAt }, reader, { source: stored.source });
  if (!read || hasErrors(problems)) throw new InputError(firstError(problems, 'invalid patch'), problems);

  const lookup = await loadCatalogLookup(store);
  const resolved = resolveDraft(read.incident, lookup);
  problems.push(...resolved.problems);
  const incident = resolved.incident;
  // Fields the patch sets are no longer estimates.
  const estimated = (stored.estimatedFields ?? []).filter((field) => !(field in patch) && field in incident);
  if (estimated.length > 0) incident.estimatedFields = estimated;
  else delete incident.estimatedFields;
  for (const violation of timestampOrderViolations(incident))
    root.error([violation.field], violation.message);
  if (hasErrors(problems)) throw new InputError(firstError(problems, 'invalid patch'), problems);

  const notifications = read.pages.map((page) => resolveNotification(page, incident, lookup));
  await store.transaction(async (tx) => {
    await writeIncidents(tx, [{ incident, ...incidentDigest(incident) }], now);
    await writeNotifications(tx, notifications);
  });
  return { incident: await getIncident(store, stored.id), problems };
}

/** A stored incident as Pave incident input (what `readPaveIncident` reads). */
function asInput(incident: Incident): Record<string, unknown> {
  const {
    status: _status,
    source: _source,
    unresolvedServices: _unresolved,
    estimatedFields: _estimated,
    ...rest
  } = incident;
  return { ...rest };
}

function withoutNulls(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null));
}

/** `existing` with the patch's entries added or replacing theirs by id; reports a non-list patch. */
function upsertById<T extends { id: string }>(
  existing: readonly T[],
  patch: unknown,
  key: string,
  reader: RecordReader,
  idPrefix?: string,
): unknown[] {
  if (patch === null) return [];
  if (!Array.isArray(patch)) {
    reader.error([key], `must be a list, not ${describe(patch)}`);
    return [...existing];
  }
  const byId = new Map<string, unknown>(existing.map((item) => [item.id, item]));
  let next = existing.length + 1;
  for (const item of patch) {
    if (isObject(item) && typeof item.id === 'string') {
      const current = byId.get(item.id);
      byId.set(item.id, isObject(current) ? { ...current, ...item } : item);
    } else if (isObject(item) && idPrefix) {
      // Without an id, the same title is the same item: a retried patch adds nothing twice.
      const sameTitle = [...byId.entries()].find(
        ([, current]) => isObject(current) && item.title !== undefined && current.title === item.title,
      );
      if (sameTitle) byId.set(sameTitle[0], { ...(sameTitle[1] as object), ...item, id: sameTitle[0] });
      else {
        while (byId.has(`${idPrefix}${next}`)) next++;
        byId.set(`${idPrefix}${next}`, { ...item, id: `${idPrefix}${next}` });
      }
    } else {
      byId.set(`new-${byId.size}`, item);
    }
  }
  return [...byId.values()];
}

function firstError(problems: readonly Problem[], fallback: string): string {
  const error = problems.find((problem) => problem.severity === 'error');
  if (!error) return fallback;
  const where = error.location?.pointer ? ` at ${error.location.pointer}` : '';
  return `${fallback}${where}: ${error.message}`;
}

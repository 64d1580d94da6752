/**
 * An incident in canonical form: its keys (and those of its nested objects) in the model's order,
 * undefined fields left out, so that `JSON.stringify` is the same text for the same incident
 * however it was built or merged. That text is both the stored body and what the idempotency hash
 * is taken of: the same input hashes the same, and a merge that changes nothing writes nothing.
 */
import { createHash } from 'node:crypto';
import type { ActionItem, Incident, Postmortem, TimelineEvent } from './model.js';

/** Copies `keys` of `value` in that order, leaving out undefined ones. */
function pick<T extends object>(value: T, keys: readonly (keyof T)[]): T {
  const out = {} as T;
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

const INCIDENT_KEYS: readonly (keyof Incident)[] = [
  'id',
  'source',
  'title',
  'description',
  'severity',
  'urgency',
  'status',
  'startedAt',
  'detectedAt',
  'acknowledgedAt',
  'mitigatedAt',
  'resolvedAt',
  'closedAt',
  'services',
  'unresolvedServices',
  'teams',
  'causeCategory',
  'platformCaused',
  'deploymentIds',
  'shas',
  'timeline',
  'postmortem',
  'actionItems',
  'url',
  'estimatedFields',
  'updatedAt',
];
const EVENT_KEYS: readonly (keyof TimelineEvent)[] = ['id', 'at', 'type', 'message', 'actor'];
const POSTMORTEM_KEYS: readonly (keyof Postmortem)[] = ['url', 'status', 'dueDate', 'completedAt'];
const ITEM_KEYS: readonly (keyof ActionItem)[] = [
  'id',
  'title',
  'ownerTeam',
  'priority',
  'dueDate',
  'status',
  'completedAt',
];

/** The canonical copy of an incident. */
export function canonicalIncident(incident: Incident): Incident {
  const out = pick(incident, INCIDENT_KEYS);
  out.timeline = incident.timeline.map((event) => pick(event, EVENT_KEYS));
  out.actionItems = incident.actionItems.map((item) => pick(item, ITEM_KEYS));
  if (incident.postmortem) out.postmortem = pick(incident.postmortem, POSTMORTEM_KEYS);
  return out;
}

/** The canonical JSON text of an incident and its SHA-256. */
export function incidentDigest(incident: Incident): { json: string; hash: string } {
  const json = JSON.stringify(canonicalIncident(incident));
  return { json, hash: createHash('sha256').update(json).digest('hex') };
}

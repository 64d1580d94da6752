/**
 * Incidents from CDEvents incident events (`dev.cdevents.incident.detected|reported|resolved.*`).
 * The delivery domain's adapter parses and checks the events into `IncidentSignal`s; here the
 * signals of one incident (`subject.source` + `subject.id`) become one incident:
 *
 * - id `cdevents:<subject.source>/<subject.id>`;
 * - started = detected = the earliest detected or reported signal; resolved = the latest resolved;
 * - services from the signals' service (`customData["pave.dev/service"]` or
 *   `subject.content.service.id`), links from their deployment id and commit;
 * - the title is the first detected or reported description.
 *
 * An incident seen only resolved (its detection imported another time, or never) gets the
 * resolution time as an *estimated* start and title, which a real detection replaces when it comes.
 */

import type { Problem } from '../../../core/errors.js';
import { type IncidentSignal, parseCdevents } from '../../../delivery/index.js';
import type { Incident, IncidentBatch, IncidentDraft } from '../model.js';

/** Reads CDEvents text (one event, an array or NDJSON) and keeps its incident events. */
export function readCdeventIncidents(text: string, options: { file?: string } = {}): IncidentBatch {
  const result = parseCdevents(text, { ...(options.file ? { file: options.file } : {}) });
  const batch = incidentsFromSignals(result.records.incidentSignals);
  const rejected = result.problems.filter((p) => p.severity === 'error').length;
  const others = result.events - result.records.incidentSignals.length - rejected;
  const problems: Problem[] = [...result.problems];
  if (others > 0) {
    problems.push({
      severity: 'warning',
      message: `${others === 1 ? '1 event is not an incident event and was' : `${others} events are not incident events and were`} ignored here; ingest them with pave ingest cdevents`,
      ...(options.file ? { location: { file: options.file } } : {}),
    });
  }
  return {
    ...batch,
    problems: [...problems, ...batch.problems],
    // Other events are not counted as read: they are not incidents (the warning above says so).
    read: result.records.incidentSignals.length + rejected,
    rejected,
  };
}

/** Groups incident signals by incident and builds one draft per incident. */
export function incidentsFromSignals(signals: readonly IncidentSignal[]): IncidentBatch {
  const groups = new Map<string, IncidentSignal[]>();
  for (const signal of signals) {
    const id = `cdevents:${signal.incidentSource.replace(/\/+$/, '')}/${signal.incidentId}`;
    const list = groups.get(id) ?? [];
    list.push(signal);
    groups.set(id, list);
  }
  const incidents: IncidentDraft[] = [];
  for (const [id, list] of groups) {
    const sorted = [...list].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id.localeCompare(b.id));
    const opened = sorted.filter((signal) => signal.kind !== 'resolved');
    const resolved = sorted.filter((signal) => signal.kind === 'resolved');
    const first = opened[0] ?? sorted[0]!;
    const estimated: (keyof Incident)[] = opened.length === 0 ? ['startedAt', 'detectedAt', 'title'] : [];
    const resolvedAt = resolved.length > 0 ? iso(resolved[resolved.length - 1]!.at) : undefined;
    const services = [
      ...new Set(sorted.map((signal) => signal.service).filter((s): s is string => s !== undefined)),
    ];
    const ticket = sorted.find((signal) => signal.ticketUri)?.ticketUri;
    incidents.push({
      id,
      source: 'cdevents',
      title: first.description ?? `Incident ${first.incidentId}`,
      startedAt: iso(first.at),
      detectedAt: iso(first.at),
      ...(resolvedAt ? { resolvedAt } : {}),
      serviceHints: services.map((ref) => ({ ref })),
      teamHints: [],
      deploymentIds: sorted.map((signal) => signal.deploymentId).filter((d): d is string => d !== undefined),
      shas: sorted.map((signal) => signal.sha).filter((s): s is string => s !== undefined),
      timeline: sorted.map((signal) => ({
        id: signal.id,
        at: iso(signal.at),
        type: signal.kind,
        ...(signal.description ? { message: signal.description } : {}),
      })),
      actionItems: [],
      ...(ticket ? { url: ticket } : {}),
      ...(estimated.length > 0 ? { estimatedFields: estimated } : {}),
      updatedAt: iso(sorted[sorted.length - 1]!.at),
    });
  }
  return { incidents, notifications: [], problems: [], read: signals.length, rejected: 0 };
}

const iso = (time: string) => new Date(time).toISOString();

/**
 * An adapter's draft to a stored incident: services and teams resolved against the catalog, lists
 * put in a canonical order (so the same input always hashes the same), and the status derived.
 */
import type { Problem } from '../../core/errors.js';
import type { CatalogLookup } from './catalogLookup.js';
import type { Incident, IncidentDraft, Notification, NotificationDraft } from './model.js';
import { statusOf } from './timestampOrder.js';

/** The incident a draft describes, and warnings about names the catalog did not know. */
export function resolveDraft(
  draft: IncidentDraft,
  lookup: CatalogLookup,
): { incident: Incident; problems: Problem[] } {
  const problems: Problem[] = [];
  const services: string[] = [];
  const unresolved: string[] = [];
  for (const hint of draft.serviceHints) {
    const resolution = lookup.resolveService(hint);
    if (resolution.ref === undefined) {
      unresolved.push(resolution.unresolved);
      problems.push(
        warning(
          draft,
          `${resolution.unresolved} is not in the catalog (no component has it as name, title or ${'pagerduty.com/service-id'})`,
        ),
      );
      continue;
    }
    if (!resolution.known) {
      problems.push(warning(draft, `service ${resolution.ref} is not in the catalog yet; kept as written`));
    }
    if (!services.includes(resolution.ref)) services.push(resolution.ref);
  }
  const teams: string[] = [];
  for (const hint of draft.teamHints) {
    const ref = lookup.resolveTeam(hint);
    if (ref && !teams.includes(ref)) teams.push(ref);
  }
  const { serviceHints: _services, teamHints: _teams, location: _location, ...rest } = draft;
  const incident: Incident = {
    ...rest,
    status: statusOf(draft),
    services,
    ...(unresolved.length > 0 ? { unresolvedServices: unresolved } : {}),
    teams,
    deploymentIds: [...new Set(draft.deploymentIds)].sort(),
    shas: [...new Set(draft.shas)].sort(),
    timeline: [...draft.timeline].sort(
      (a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id.localeCompare(b.id),
    ),
    ...(draft.estimatedFields ? { estimatedFields: [...draft.estimatedFields].sort() } : {}),
  };
  return { incident, problems };
}

/** A notification draft with its team: the hint if the catalog knows it, else the incident's first team or the owner of its first service. */
export function resolveNotification(
  draft: NotificationDraft,
  incident: Incident | undefined,
  lookup: CatalogLookup,
): Notification {
  const { teamHint, ...rest } = draft;
  const owner = incident?.services[0] ? lookup.ownerOf(incident.services[0]) : undefined;
  // Load is reported per team, never per person: a component owned by a user gives no team.
  const team =
    (teamHint ? lookup.resolveTeam(teamHint) : undefined) ??
    incident?.teams[0] ??
    (owner?.startsWith('group:') ? owner : undefined);
  return { ...rest, ...(team ? { team } : {}) };
}

function warning(draft: IncidentDraft, message: string): Problem {
  return {
    severity: 'warning',
    message,
    entityRef: draft.id,
    ...(draft.location ? { location: draft.location } : {}),
  };
}

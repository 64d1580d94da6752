/**
 * The incident metrics as pure functions over plain facts, each named after its entry in
 * docs/incidents.md ("Metrics"): MTTA, MTTR, platform-caused incidents, recurrence,
 * postmortem completion, action items, and the classification of interruptions.
 * Times are epoch milliseconds; durations come out in seconds.
 */
import { type MetricStatus, mean, quantileSummary, sampleStatus } from '../../core/quantile.js';
import { localTime, nextDay, startOfLocalDay, weekdayOf } from './zonedTime.js';

/** An incident as the metrics see it. */
export interface IncidentFacts {
  id: string;
  severity?: string;
  startedAt: number;
  detectedAt?: number;
  acknowledgedAt?: number;
  mitigatedAt?: number;
  resolvedAt?: number;
  causeCategory?: string;
  /** As the incident states it; `undefined` lets the configured rules decide. */
  platformCaused?: boolean;
  /** Affected components, lower-case refs. */
  services: string[];
  postmortemStatus?: string;
  postmortemCompletedAt?: number;
}

/** n, p50, p90 and mean of a sample of durations in seconds (to the millisecond); `null` each below the minimum sample. */
export interface DurationStats {
  n: number;
  p50: number | null;
  p90: number | null;
  mean: number | null;
  status: MetricStatus;
}

/** Interpolated p50, p90 and the mean of `values`, guarded by `minSample`. */
export function durationStats(values: readonly number[], minSample: number): DurationStats {
  // A typed array sorts numerically without a comparator, much faster on 100,000 values; the
  // summary's own sort then finds the values in order.
  const summary = quantileSummary(Float64Array.from(values).sort(), [0.5, 0.9], minSample);
  return {
    n: summary.n,
    p50: toMillisecond(summary.values[0] ?? null),
    p90: toMillisecond(summary.values[1] ?? null),
    mean: summary.status === 'ok' ? toMillisecond(mean(values) ?? null) : null,
    status: summary.status,
  };
}

/** Seconds rounded to the millisecond, the sources' precision (no float noise in the JSON). */
function toMillisecond(seconds: number | null): number | null {
  return seconds === null ? null : Math.round(seconds * 1000) / 1000;
}

/** MTTA sample: seconds from detection (start when not detected) to the first acknowledgement. */
export function timesToAcknowledge(incidents: readonly IncidentFacts[]): number[] {
  const out: number[] = [];
  for (const incident of incidents) {
    if (incident.acknowledgedAt === undefined) continue;
    out.push((incident.acknowledgedAt - (incident.detectedAt ?? incident.startedAt)) / 1000);
  }
  return out;
}

/** MTTR sample: seconds from the start to the resolution, for resolved incidents. */
export function timesToResolve(incidents: readonly IncidentFacts[]): number[] {
  const out: number[] = [];
  for (const incident of incidents) {
    if (incident.resolvedAt !== undefined) out.push((incident.resolvedAt - incident.startedAt) / 1000);
  }
  return out;
}

/** Why an incident counts as platform-caused, or not. */
export type PlatformReason = 'explicit' | 'cause-category' | 'platform-service' | 'none';

/**
 * Platform-caused: the incident says so (`platformCaused`), else its cause category is one of
 * `causeCategories`, else one of its services is the platform's (`platformServices`).
 */
export function platformCause(
  incident: IncidentFacts,
  causeCategories: ReadonlySet<string>,
  platformServices: ReadonlySet<string>,
): { caused: boolean; reason: PlatformReason } {
  if (incident.platformCaused !== undefined) return { caused: incident.platformCaused, reason: 'explicit' };
  if (incident.causeCategory !== undefined && causeCategories.has(incident.causeCategory)) {
    return { caused: true, reason: 'cause-category' };
  }
  if (incident.services.some((service) => platformServices.has(service))) {
    return { caused: true, reason: 'platform-service' };
  }
  return { caused: false, reason: 'none' };
}

const DAY_MS = 86_400_000;

/**
 * The incidents that recur: another incident with the same cause category affected one of the same
 * services and started before it, at most `windowDays` x 24 h earlier (inclusive). `incidents` may
 * include incidents before the reporting window: they count as earlier occurrences.
 */
export function recurringIncidents(incidents: readonly IncidentFacts[], windowDays: number): Set<string> {
  const window = windowDays * DAY_MS;
  const byKey = new Map<string, IncidentFacts[]>();
  for (const incident of incidents) {
    if (!incident.causeCategory) continue;
    for (const service of new Set(incident.services)) {
      const key = `${service}\u0000${incident.causeCategory}`;
      const list = byKey.get(key) ?? [];
      list.push(incident);
      byKey.set(key, list);
    }
  }
  const recurring = new Set<string>();
  for (const list of byKey.values()) {
    list.sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < list.length; i++) {
      const current = list[i]!;
      // The closest earlier start decides; equal starts are not "before".
      for (let j = i - 1; j >= 0; j--) {
        const previous = list[j]!;
        if (previous.startedAt === current.startedAt) continue;
        if (current.startedAt - previous.startedAt <= window) recurring.add(current.id);
        break;
      }
    }
  }
  return recurring;
}

/** Recurrence over the incidents of a window. */
export interface RecurrenceStats {
  /** Incidents in the window with a cause category and at least one service. */
  eligible: number;
  recurring: number;
  rate: number | null;
  status: MetricStatus;
}

/** recurrenceRate = recurring / eligible, for the incidents in `window` (`all` includes the look-back). */
export function recurrenceStats(
  inWindow: readonly IncidentFacts[],
  all: readonly IncidentFacts[],
  windowDays: number,
  minSample: number,
): RecurrenceStats {
  const recurring = recurringIncidents(all, windowDays);
  const eligible = inWindow.filter((incident) => incident.causeCategory && incident.services.length > 0);
  const count = eligible.filter((incident) => recurring.has(incident.id)).length;
  const status = sampleStatus(eligible.length, minSample);
  return {
    eligible: eligible.length,
    recurring: count,
    rate: status === 'ok' ? count / eligible.length : null,
    status,
  };
}

/**
 * The instant a postmortem is due: the end (local midnight) of the `businessDays`-th business day
 * (Monday-Friday) after the local day the incident was resolved, in `timeZone`. With 0 days, the
 * end of the day of resolution. Public holidays are not known.
 */
export function postmortemDeadline(resolvedAt: number, businessDays: number, timeZone: string): number {
  const local = localTime(resolvedAt, timeZone);
  let day = { year: local.year, month: local.month, day: local.day };
  let counted = 0;
  while (counted < businessDays) {
    day = nextDay(day.year, day.month, day.day);
    if (weekdayOf(day.year, day.month, day.day) <= 5) counted++;
  }
  const end = nextDay(day.year, day.month, day.day);
  return startOfLocalDay(end.year, end.month, end.day, timeZone);
}

/** Postmortem completion for the tracked severities. */
export interface PostmortemStats {
  /** Incidents whose postmortem was due by `asOf`, or was completed: the denominator. */
  due: number;
  completedOnTime: number;
  completedLate: number;
  /** Due and not completed. */
  overdue: number;
  /** Not due yet (or not resolved yet) and not completed: not counted. */
  pending: number;
  rate: number | null;
  status: MetricStatus;
}

/**
 * completion = postmortems completed by their deadline / postmortems due (completed, or past their
 * deadline at `asOf`), over the incidents of `severities`.
 */
export function postmortemStats(
  incidents: readonly IncidentFacts[],
  options: {
    severities: ReadonlySet<string>;
    businessDays: number;
    timeZone: string;
    asOf: number;
    minSample: number;
  },
): PostmortemStats {
  const stats = { completedOnTime: 0, completedLate: 0, overdue: 0, pending: 0 };
  for (const incident of incidents) {
    if (!incident.severity || !options.severities.has(incident.severity)) continue;
    const completed =
      incident.postmortemStatus === 'complete' || incident.postmortemCompletedAt !== undefined;
    if (incident.resolvedAt === undefined) {
      if (completed) stats.completedOnTime++;
      else stats.pending++;
      continue;
    }
    const deadline = postmortemDeadline(incident.resolvedAt, options.businessDays, options.timeZone);
    if (completed) {
      // Completed without a completion time: its punctuality is unknown, so it is not on time.
      if (incident.postmortemCompletedAt !== undefined && incident.postmortemCompletedAt <= deadline)
        stats.completedOnTime++;
      else stats.completedLate++;
    } else if (deadline <= options.asOf) stats.overdue++;
    else stats.pending++;
  }
  const due = stats.completedOnTime + stats.completedLate + stats.overdue;
  const status = sampleStatus(due, options.minSample);
  return { due, ...stats, rate: status === 'ok' ? stats.completedOnTime / due : null, status };
}

/** An action item as the metrics see it. */
export interface ActionItemFacts {
  status: string;
  /** `YYYY-MM-DD`. */
  dueDate?: string;
}

/** Action item counts at `asOf`. */
export interface ActionItemStats {
  total: number;
  open: number;
  /** Open and past their due day (in UTC) at `asOf`. */
  overdue: number;
  done: number;
  cancelled: number;
}

/** Counts action items: open (open or in progress), overdue (open, due day before asOf's UTC day), done, cancelled. */
export function actionItemStats(items: readonly ActionItemFacts[], asOf: number): ActionItemStats {
  const today = new Date(asOf).toISOString().slice(0, 10);
  const stats: ActionItemStats = { total: items.length, open: 0, overdue: 0, done: 0, cancelled: 0 };
  for (const item of items) {
    if (item.status === 'done') stats.done++;
    else if (item.status === 'cancelled') stats.cancelled++;
    else {
      stats.open++;
      if (item.dueDate !== undefined && item.dueDate < today) stats.overdue++;
    }
  }
  return stats;
}

/** PagerDuty's interruption periods, in the responder's time zone. */
export type InterruptionPeriod = 'business' | 'off' | 'sleep';

/**
 * Business hours 08:00-18:00 Monday-Friday; sleep hours 22:00-08:00 every day; off hours the rest
 * (18:00-22:00 Monday-Friday, 08:00-22:00 Saturday and Sunday) — PagerDuty's analytics definitions.
 */
export function interruptionPeriod(instant: number, timeZone: string): InterruptionPeriod {
  const local = localTime(instant, timeZone);
  if (local.hour >= 22 || local.hour < 8) return 'sleep';
  if (local.weekday <= 5 && local.hour < 18) return 'business';
  return 'off';
}

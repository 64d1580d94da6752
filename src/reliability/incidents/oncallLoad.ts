/**
 * On-call load per team and ISO week (docs/metrics.md, "On-call load"), from the
 * notifications sent on interrupting channels (phone, SMS, push, other): pages (the high-urgency
 * ones), interruptions (any urgency, as PagerDuty counts them; notifications to one responder for
 * one incident within two minutes count once, since one notification rule sends push, SMS and a
 * call together), business/off/sleep-hour interruptions in the responder's time zone, pages per
 * shift and overloaded shifts. Per team, never per person.
 */
import { type InterruptionPeriod, interruptionPeriod } from './metrics.js';

/** A notification on an interrupting channel, as on-call load sees it. */
export interface PageFacts {
  incidentId: string;
  sentAt: number;
  team: string;
  /** High urgency makes it a page; either urgency interrupts. */
  urgency: 'high' | 'low';
  /** Only to tell responders apart when counting interruptions; never reported. */
  responder?: string;
  /** The responder's IANA time zone (UTC when unknown). */
  timezone: string;
}

/** The load of one team over one period. */
export interface LoadFigures {
  /** High-urgency notifications. */
  pages: number;
  /** Notifications of either urgency, a burst to one responder for one incident counting once. */
  interruptions: number;
  businessHours: number;
  offHours: number;
  sleepHours: number;
  /** Distinct incidents that paged (high urgency). */
  incidents: number;
  /** Shifts in the period (hours / shift length; a partial week counts its part). */
  shifts: number;
  pagesPerShift: number;
  /** Shifts with more distinct incidents paging than the limit. */
  shiftsOverLimit: number;
}

export interface WeekLoad extends LoadFigures {
  /** The Monday (UTC) the ISO week starts, `YYYY-MM-DD`. */
  week: string;
}

export interface TeamLoad extends LoadFigures {
  team: string;
  weeks: WeekLoad[];
}

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
/** Pages to one responder for one incident within this long of a counted one are the same interruption. */
export const INTERRUPTION_DEDUP_MS = 120_000;

/** Monday 00:00 UTC of the ISO week containing `instant`. */
export function weekStart(instant: number): number {
  const day = new Date(instant);
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  const weekday = (day.getUTCDay() + 6) % 7;
  return midnight - weekday * 24 * HOUR_MS;
}

/** On-call load per team over `[window.from, window.to)`, each with its weeks (empty weeks included). */
export function onCallLoad(
  pages: readonly PageFacts[],
  window: { from: number; to: number },
  options: { shiftHours: number; shiftIncidentLimit: number },
): TeamLoad[] {
  const byTeam = new Map<string, PageFacts[]>();
  for (const page of pages) {
    if (page.sentAt < window.from || page.sentAt >= window.to) continue;
    const list = byTeam.get(page.team) ?? [];
    list.push(page);
    byTeam.set(page.team, list);
  }
  const weeks: number[] = [];
  for (let start = weekStart(window.from); start < window.to; start += WEEK_MS) weeks.push(start);
  return [...byTeam.keys()].sort().map((team) => {
    const teamPages = byTeam.get(team)!;
    const weekLoads = weeks.map((start) => {
      const from = Math.max(start, window.from);
      const to = Math.min(start + WEEK_MS, window.to);
      return {
        week: new Date(start).toISOString().slice(0, 10),
        ...figures(
          teamPages.filter((page) => page.sentAt >= from && page.sentAt < to),
          (to - from) / HOUR_MS,
          options,
        ),
      };
    });
    return {
      team,
      ...figures(teamPages, (window.to - window.from) / HOUR_MS, options),
      weeks: weekLoads,
    };
  });
}

function figures(
  notifications: readonly PageFacts[],
  hours: number,
  options: { shiftHours: number; shiftIncidentLimit: number },
): LoadFigures {
  const pages = notifications.filter((notification) => notification.urgency === 'high');
  const counts: Record<InterruptionPeriod, number> = { business: 0, off: 0, sleep: 0 };
  const interruptions = countedInterruptions(notifications);
  for (const page of interruptions) counts[interruptionPeriod(page.sentAt, page.timezone)]++;
  const shiftMs = options.shiftHours * HOUR_MS;
  const incidentsByShift = new Map<number, Set<string>>();
  for (const page of pages) {
    const shift = Math.floor(page.sentAt / shiftMs);
    const set = incidentsByShift.get(shift) ?? new Set<string>();
    set.add(page.incidentId);
    incidentsByShift.set(shift, set);
  }
  let overLimit = 0;
  for (const set of incidentsByShift.values()) if (set.size > options.shiftIncidentLimit) overLimit++;
  const shifts = hours / options.shiftHours;
  return {
    pages: pages.length,
    interruptions: interruptions.length,
    businessHours: counts.business,
    offHours: counts.off,
    sleepHours: counts.sleep,
    incidents: new Set(pages.map((page) => page.incidentId)).size,
    shifts: round(shifts),
    pagesPerShift: shifts > 0 ? round(pages.length / shifts) : 0,
    shiftsOverLimit: overLimit,
  };
}

/** The pages that count as interruptions: the first to a responder for an incident, and any later than two minutes after the last counted. */
export function countedInterruptions(pages: readonly PageFacts[]): PageFacts[] {
  const sorted = [...pages].sort((a, b) => a.sentAt - b.sentAt);
  const lastCounted = new Map<string, number>();
  const counted: PageFacts[] = [];
  for (const page of sorted) {
    const key = `${page.incidentId}\u0000${page.responder ?? ''}`;
    const last = lastCounted.get(key);
    if (last !== undefined && page.sentAt - last <= INTERRUPTION_DEDUP_MS) continue;
    lastCounted.set(key, page.sentAt);
    counted.push(page);
  }
  return counted;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

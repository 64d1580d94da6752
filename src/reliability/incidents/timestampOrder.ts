/**
 * The order an incident's timestamps must respect, and the status they imply.
 *
 * started <= detected <= acknowledged, mitigated <= resolved <= closed; acknowledged and mitigated
 * may come in either order (an automatic failover can mitigate before anyone acknowledges). Equal
 * timestamps are fine (a CDEvents incident can be detected and resolved in the same instant).
 */
import type { IncidentStatus, TimestampField } from './model.js';

const RANK: Record<TimestampField, number> = {
  startedAt: 0,
  detectedAt: 1,
  acknowledgedAt: 2,
  mitigatedAt: 2,
  resolvedAt: 3,
  closedAt: 4,
};

const ORDERED = Object.keys(RANK) as TimestampField[];

/** One violated pair: `field` is earlier than `before`, which should not come after it. */
export interface TimestampOrderViolation {
  field: TimestampField;
  before: TimestampField;
  message: string;
}

type Times = Partial<Record<TimestampField, string | undefined>>;

/**
 * The violated pairs of `times`, one per later field (against the earliest field it precedes),
 * e.g. `resolvedAt (2024-05-01T10:00:00.000Z) is before startedAt (2024-05-01T11:00:00.000Z)`.
 */
export function timestampOrderViolations(times: Times): TimestampOrderViolation[] {
  const violations: TimestampOrderViolation[] = [];
  for (const field of ORDERED) {
    const value = times[field];
    if (value === undefined) continue;
    const at = Date.parse(value);
    for (const earlier of ORDERED) {
      if (RANK[earlier] >= RANK[field]) continue;
      const other = times[earlier];
      if (other === undefined || Date.parse(other) <= at) continue;
      violations.push({
        field,
        before: earlier,
        message: `${field} (${value}) is before ${earlier} (${other}); an incident is ${ORDER_TEXT}`,
      });
      break;
    }
  }
  return violations;
}

const ORDER_TEXT = 'started <= detected <= acknowledged/mitigated <= resolved <= closed';

/** The status the timestamps imply: the last stage reached. */
export function statusOf(times: Times): IncidentStatus {
  if (times.closedAt) return 'closed';
  if (times.resolvedAt) return 'resolved';
  if (times.mitigatedAt) return 'mitigated';
  if (times.acknowledgedAt) return 'acknowledged';
  return 'triggered';
}

/**
 * Severity mapping: every source's priority vocabulary onto SEV1-SEV5 (docs/incidents.md,
 * "Severity").
 *
 * - `SEV1`..`SEV5`, `SEV-1`, `sev 1`, `S1`, `P1`..`P5`, `1`..`5` -> the same number.
 * - Opsgenie's priority labels: Critical (P1), High (P2), Moderate (P3), Low (P4), Informational (P5).
 * - PagerDuty: the priority name when it is one of the above; otherwise `major` -> SEV2 (a major
 *   incident has one of the two highest priorities), otherwise urgency high -> SEV3, low -> SEV4.
 */
import { SEVERITIES, type Severity } from './model.js';

const NUMBERED = /^(?:sev|s|p)?[\s_-]?([1-5])$/i;

const WORDS: Record<string, Severity> = {
  critical: 'SEV1',
  high: 'SEV2',
  moderate: 'SEV3',
  medium: 'SEV3',
  low: 'SEV4',
  informational: 'SEV5',
  info: 'SEV5',
};

/** The severity a text names, or `undefined` when it names none of the accepted forms. */
export function parseSeverity(text: string): Severity | undefined {
  const value = text.trim();
  const numbered = NUMBERED.exec(value);
  if (numbered) return SEVERITIES[Number(numbered[1]) - 1];
  return WORDS[value.toLowerCase()];
}

/** The accepted forms, for error messages. */
export const SEVERITY_FORMS = 'SEV1-SEV5, P1-P5, 1-5, or critical/high/moderate/low/informational';

/** PagerDuty's fields to a severity (see the module comment); `undefined` when none is set. */
export function severityFromPagerDuty(fields: {
  priority?: string | undefined;
  major?: boolean | undefined;
  urgency?: string | undefined;
}): Severity | undefined {
  if (fields.priority) {
    const mapped = parseSeverity(fields.priority);
    if (mapped) return mapped;
  }
  if (fields.major) return 'SEV2';
  if (fields.urgency === 'high') return 'SEV3';
  if (fields.urgency === 'low') return 'SEV4';
  return undefined;
}

/** The 1-based rank of a severity (SEV1 -> 1). */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity) + 1;
}

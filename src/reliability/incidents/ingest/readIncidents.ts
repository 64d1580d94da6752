/**
 * One entry point for every incident import format: `pave incident import --source <format>` and
 * `POST /api/v1/incidents/import?source=<format>`.
 */
import { InputError } from '../../../core/errors.js';
import type { IncidentBatch } from '../model.js';
import { readCdeventIncidents } from './cdevents.js';
import { readIncidentCsv } from './csv.js';
import { parseJsonInput } from './inputReader.js';
import { readOpsgenieAlerts } from './opsgenie.js';
import { readPagerDutyIncidents } from './pagerduty.js';
import { readPagerDutyAnalytics } from './pagerdutyAnalytics.js';
import { readPaveIncidents } from './paveInput.js';

/** The import formats. `pave` is Pave's own incident JSON (what `GET /api/v1/incidents/{id}` serves). */
export const IMPORT_FORMATS = [
  'pagerduty',
  'pagerduty-analytics',
  'opsgenie',
  'cdevents',
  'csv',
  'pave',
] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Whether `value` names an import format. */
export function isImportFormat(value: string): value is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(value);
}

/** Reads `text` in `format`. A syntax error throws an `InputError`; record errors are in `problems`. */
export function readIncidents(
  text: string,
  format: ImportFormat,
  options: { file?: string } = {},
): IncidentBatch {
  const file = options.file ?? 'input';
  switch (format) {
    case 'csv':
      return readIncidentCsv(text, { file });
    case 'cdevents':
      return readCdeventIncidents(text, { file });
    case 'pagerduty':
      return readPagerDutyIncidents(parseJsonInput(text, file), { file });
    case 'pagerduty-analytics':
      return readPagerDutyAnalytics(parseJsonInput(text, file), { file });
    case 'opsgenie':
      return readOpsgenieAlerts(parseJsonInput(text, file), { file });
    case 'pave':
      return readPaveIncidents(parseJsonInput(text, file), { source: 'pave', file });
    default:
      throw new InputError(`unknown incident format "${String(format)}": use ${IMPORT_FORMATS.join(', ')}`);
  }
}

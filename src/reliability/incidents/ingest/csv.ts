/**
 * Incidents from CSV (RFC 4180: a header row, quoted fields may hold commas, quotes and newlines),
 * one incident per row. Columns are named like the JSON fields in snake_case or camelCase
 * (`started_at` or `startedAt`); lists (`services`, `teams`, `deployment_ids`, `shas`) are separated
 * by `;`. The columns are listed in docs/incidents.md, "CSV". A bad row is reported with its
 * row number (the first data row is row 1) and column, and the other rows are kept.
 */
import { InputError, jsonPointer, type Problem } from '../../../core/errors.js';
import type { IncidentBatch } from '../model.js';
import { RecordReader } from './inputReader.js';
import { readPaveIncident } from './paveInput.js';

/** CSV column -> the JSON field it fills. */
const COLUMNS: Record<string, string> = {
  id: 'id',
  title: 'title',
  description: 'description',
  severity: 'severity',
  urgency: 'urgency',
  startedat: 'startedAt',
  detectedat: 'detectedAt',
  acknowledgedat: 'acknowledgedAt',
  mitigatedat: 'mitigatedAt',
  resolvedat: 'resolvedAt',
  closedat: 'closedAt',
  services: 'services',
  teams: 'teams',
  causecategory: 'causeCategory',
  platformcaused: 'platformCaused',
  deploymentids: 'deploymentIds',
  shas: 'shas',
  url: 'url',
  updatedat: 'updatedAt',
  postmortemurl: 'postmortem.url',
  postmortemstatus: 'postmortem.status',
  postmortemduedate: 'postmortem.dueDate',
  postmortemcompletedat: 'postmortem.completedAt',
};

const REQUIRED = ['id', 'title', 'startedAt'];

/** The header's name for a field path (`['postmortem', 'url']` -> `/postmortem_url`), as a pointer. */
function columnPointer(
  header: readonly string[],
  fields: readonly (string | undefined)[],
  path: readonly (string | number)[],
): string {
  if (path.length === 0) return '';
  const field =
    path.length >= 2 && path[0] === 'postmortem' ? `postmortem.${path[1]}` : String(path[0] ?? '');
  const index = fields.indexOf(field);
  return jsonPointer([
    index === -1 ? field : header[index]!.trim(),
    ...path.slice(field.startsWith('postmortem.') ? 2 : 1),
  ]);
}

/** Splits CSV text into records of fields. Throws on an unterminated quote, naming its row. */
export function parseCsvRecords(text: string, file: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoteStartRow = 0;
  for (; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += char;
      continue;
    }
    if (char === '"' && field === '') {
      quoted = true;
      quoteStartRow = records.length;
    } else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  if (quoted) {
    throw new InputError(`${file}: a quoted field is not closed`, [
      { severity: 'error', message: 'a quoted field is not closed', location: { file, row: quoteStartRow } },
    ]);
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  // Blank lines carry no incident.
  return records.filter((fields) => fields.length > 1 || fields[0]!.trim() !== '');
}

/** Reads incidents from CSV text. */
export function readIncidentCsv(text: string, options: { file?: string } = {}): IncidentBatch {
  const file = options.file ?? 'input.csv';
  const records = parseCsvRecords(text, file);
  const problems: Problem[] = [];
  const batch: IncidentBatch = { incidents: [], notifications: [], problems, read: 0, rejected: 0 };
  const header = records[0];
  if (!header) throw new InputError(`${file}: the CSV is empty; it needs a header row`);
  const fields = header.map(
    (name) =>
      COLUMNS[
        name
          .trim()
          .toLowerCase()
          .replace(/[^a-z]/g, '')
      ],
  );
  header.forEach((name, index) => {
    if (fields[index] === undefined) {
      problems.push({
        severity: 'warning',
        message: `unknown column "${name}" is ignored`,
        location: { file, row: 0 },
      });
    }
  });
  const missing = REQUIRED.filter((field) => !fields.includes(field));
  if (missing.length > 0) {
    throw new InputError(`${file}: the CSV has no ${missing.join(', ')} column`, [
      {
        severity: 'error',
        message: `missing required ${missing.length === 1 ? 'column' : 'columns'}: ${missing.join(', ')}`,
        location: { file, row: 0 },
      },
    ]);
  }
  records.slice(1).forEach((record, index) => {
    const row = index + 1;
    batch.read++;
    const reader = new RecordReader(problems, {
      file,
      base: [],
      row,
      pointer: (path) => columnPointer(header, fields, path),
    });
    if (record.length !== header.length) {
      reader.error([], `has ${record.length} fields; the header has ${header.length}`);
      batch.rejected++;
      return;
    }
    const value: Record<string, unknown> = {};
    record.forEach((cell, column) => {
      const field = fields[column];
      if (field === undefined || cell.trim() === '') return;
      if (field.startsWith('postmortem.')) {
        const postmortem = (value.postmortem ?? {}) as Record<string, unknown>;
        postmortem[field.slice('postmortem.'.length)] = cell;
        value.postmortem = postmortem;
      } else value[field] = cell;
    });
    const read = readPaveIncident(value, reader, { source: 'csv' });
    if (!read) {
      batch.rejected++;
      return;
    }
    batch.incidents.push(read.incident);
  });
  return batch;
}

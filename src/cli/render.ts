/**
 * Renders a command's result as a table, JSON or CSV. JSON is the stable, documented shape; the
 * table is for people; CSV follows RFC 4180.
 */
import type { CommandResult, OutputFormat, Table } from '../core/command.js';

/** The text a result prints on stdout in `format`. */
export function renderResult(result: CommandResult, format: OutputFormat): string {
  if (format === 'json') {
    if (result.data !== undefined) return `${JSON.stringify(result.data, jsonReplacer, 2)}\n`;
    return result.text ?? '';
  }
  const table = result.table ?? tableFromData(result.data);
  if (format === 'csv') {
    if (table) return renderCsv(table);
    return result.text ?? '';
  }
  if (result.table) return renderTable(result.table);
  if (result.text !== undefined) return result.text;
  if (result.data !== undefined) return `${JSON.stringify(result.data, jsonReplacer, 2)}\n`;
  return '';
}

/** Dates as ISO strings; `undefined` dropped, as JSON does. */
function jsonReplacer(_key: string, value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/** A table from an array of flat objects, columns in first-seen key order. */
function tableFromData(data: unknown): Table | undefined {
  if (!Array.isArray(data) || data.length === 0 || typeof data[0] !== 'object') return undefined;
  const keys: string[] = [];
  for (const row of data as Record<string, unknown>[]) {
    for (const key of Object.keys(row)) if (!keys.includes(key)) keys.push(key);
  }
  return { columns: keys.map((key) => ({ key, header: key })), rows: data as Record<string, unknown>[] };
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(cellText).join(' ');
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Columns padded to their widest cell; numbers right-aligned. */
export function renderTable(table: Table): string {
  const cells = table.rows.map((row) => table.columns.map((column) => cellText(row[column.key])));
  const numeric = table.columns.map((column) =>
    table.rows.every(
      (row) =>
        row[column.key] === null || row[column.key] === undefined || typeof row[column.key] === 'number',
    ),
  );
  const widths = table.columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((row) => row[i]!.length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, i) => (numeric[i] ? value.padStart(widths[i]!) : value.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(table.columns.map((column) => column.header)), ...cells.map(line)].join('\n')}\n`;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV with a header row and CRLF line ends. */
export function renderCsv(table: Table): string {
  const header = table.columns.map((column) => csvField(column.key)).join(',');
  const rows = table.rows.map((row) =>
    table.columns.map((column) => csvField(cellText(row[column.key]))).join(','),
  );
  return `${[header, ...rows].join('\r\n')}\r\n`;
}

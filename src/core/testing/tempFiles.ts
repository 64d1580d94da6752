import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Writes `files` (relative path -> text) under `dir`, creating folders as needed. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
}

/** A new temporary folder holding `files`. */
export function tempFolder(files: Record<string, string> = {}, prefix = 'pave-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  writeFiles(dir, files);
  return dir;
}

import { readFileSync } from 'node:fs';

/** Pave's version, from package.json (two folders up from both `src/core` and `dist/core`). */
export const PAVE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

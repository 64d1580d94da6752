/**
 * Small readers for the fields the ingest adapters need: shas, ids, objects.
 * Hand-written rather than zod because they run once per event on the ingest hot path.
 */

/** A plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, or `undefined`. */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Seconds since the epoch (as git prints them) to an ISO timestamp. */
export function epochSecondsToIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

const SHA = /^[0-9a-fA-F]{7,64}$/;

/** A commit sha (7 to 64 hex digits) in lower case, or `undefined`. */
export function normaliseSha(value: unknown): string | undefined {
  return typeof value === 'string' && SHA.test(value) ? value.toLowerCase() : undefined;
}

/** True for git's all-zero sha, which webhooks use for "no commit" (a new or deleted ref). */
export function isZeroSha(value: string): boolean {
  return /^0+$/.test(value);
}

/** An integer id as a string (GitHub and GitLab ids are numbers), or `undefined`. */
export function idString(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return nonEmptyString(value);
}

/** `{ key: value }` when the value is defined, `{}` otherwise: keeps records free of undefined fields. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** A short description of a JSON value for messages: `"text"`, `42`, `an object`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(truncate(value));
  return String(value);
}

/** Cuts a text for a message. */
export function truncate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

/** Sets `record[key]` only when the value is defined: records carry no `undefined` fields. */
export function put<T, K extends keyof T>(record: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) record[key] = value;
}

/** `map[key]` for a string key the map really has: never an inherited `constructor` or `__proto__`. */
export function lookup<T>(map: Readonly<Record<string, T>>, key: unknown): T | undefined {
  return typeof key === 'string' && Object.hasOwn(map, key) ? map[key] : undefined;
}

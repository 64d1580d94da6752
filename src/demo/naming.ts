/**
 * Small text helpers for the demo: entity names, titles, plurals and identifiers. Plain string
 * operations only (no `localeCompare`, no `Intl`), so the output is the same on every platform.
 */

/** Backstage's `metadata.name` rule: 1-63 characters. */
export const ENTITY_NAME_PATTERN = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** Backstage's tag rule (`KubernetesValidatorFunctions`-style, at most 63 characters). */
export const TAG_PATTERN = /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/;

// Letters NFD does not decompose into an ASCII base letter.
const TRANSLITERATION: Record<string, string> = { ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', ß: 'ss', æ: 'ae', đ: 'd' };

/** Plain code-unit order: the same on every platform, unlike `localeCompare`. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ASCII form of a person's name: accents dropped, `ø` as `o`. */
export function asciiFold(text: string): string {
  let folded = '';
  for (const char of text.normalize('NFD')) {
    const code = char.charCodeAt(0);
    if (code >= 0x300 && code <= 0x36f) continue; // a combining mark: the accent on the previous letter
    folded += TRANSLITERATION[char] ?? char;
  }
  return folded;
}

/** A lower-case slug of `a-z0-9` words joined by `-`: `"O'Brien Van Dijk"` -> `obrien-van-dijk`. */
export function slugify(text: string): string {
  return asciiFold(text)
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const ACRONYMS = new Set([
  'api',
  'bff',
  'cdn',
  'db',
  'eta',
  'faq',
  'grpc',
  'mfa',
  'ml',
  'rma',
  'sast',
  'sdk',
  'sms',
  'sso',
  'b2b',
  'emea',
  'apac',
  'ui',
]);

/** `order-service` -> `Order Service`, `checkout-bff` -> `Checkout BFF`, `token-grpc` -> `Token gRPC`. */
export function titleCase(name: string): string {
  return name
    .split('-')
    .filter((word) => word.length > 0)
    .map((word) =>
      word === 'grpc'
        ? 'gRPC'
        : ACRONYMS.has(word)
          ? word.toUpperCase()
          : word[0]!.toUpperCase() + word.slice(1),
    )
    .join(' ');
}

/** `a` or `an` before `phrase`, by its first letter: `an order`, `a payment`. */
export function withArticle(phrase: string): string {
  return `${/^[aeiou]/i.test(phrase) ? 'an' : 'a'} ${phrase}`;
}

/** `delivery-slot` -> `delivery slot`, for running text. */
export function words(noun: string): string {
  return noun.replaceAll('-', ' ');
}

/**
 * A plain English plural of the last word: `pick-list` -> `pick-lists`, `category` ->
 * `categories`, `address` -> `addresses`; a word already ending in one `s` (`points`, `metrics`) stays.
 */
export function plural(noun: string): string {
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(ss|x|z|ch|sh)$/.test(noun)) return `${noun}es`;
  if (noun.endsWith('s')) return noun;
  return `${noun}s`;
}

/** `pick-list` -> `PickList`. */
export function pascalCase(noun: string): string {
  return noun
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** `pick-list` -> `pickList`. */
export function camelCase(noun: string): string {
  const pascal = pascalCase(noun);
  return pascal.length === 0 ? pascal : pascal[0]!.toLowerCase() + pascal.slice(1);
}

/** `pick-list` -> `pick_list`, for proto packages and fields. */
export function snakeCase(noun: string): string {
  return noun.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase();
}

/**
 * Hands out names unique within one kind, case-insensitively as Backstage compares them. Tries the
 * candidates in order, then the first one with `-2`, `-3`... appended.
 */
export class NameRegistry {
  private readonly taken = new Set<string>();

  /** Whether `name` is already handed out. */
  has(name: string): boolean {
    return this.taken.has(name.toLowerCase());
  }

  /** Reserves `name` as it is; false when it was taken. */
  reserve(name: string): boolean {
    const key = name.toLowerCase();
    if (this.taken.has(key)) return false;
    this.taken.add(key);
    return true;
  }

  /** The first free name of `candidates` (then the first with a number), reserved. */
  claim(...candidates: string[]): string {
    for (const candidate of candidates) {
      if (this.reserve(candidate)) return candidate;
    }
    const base = candidates[0] ?? 'entity';
    for (let n = 2; ; n++) {
      const candidate = `${base}-${n}`;
      if (this.reserve(candidate)) return candidate;
    }
  }
}

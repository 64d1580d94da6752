/**
 * What Pave checks about PromQL text and Prometheus names without a PromQL parser: Sloth's
 * `{{.window}}` placeholder, balanced brackets and quotes, and label names. `promtool check rules`
 * (run in the tests on every generated file) does the full parse.
 */

/** Sloth's window placeholder, with the spaces its regex allows: `{{.window}}`, `{{ .window }}`. */
const WINDOW_PLACEHOLDER = /\{\{ *\.window *\}\}/;
const WINDOW_PLACEHOLDER_ALL = /\{\{ *\.window *\}\}/g;

/** Whether a query template holds `{{.window}}` (Sloth: "template must contain the {{ .window }} variable"). */
export function hasWindowPlaceholder(query: string): boolean {
  return WINDOW_PLACEHOLDER.test(query);
}

/** Substitutes a Prometheus duration (`5m`) for every `{{.window}}`. */
export function renderWindow(query: string, window: string): string {
  return query.replace(WINDOW_PLACEHOLDER_ALL, window);
}

/**
 * The first thing wrong with a query template, or `undefined`: template actions other than
 * `{{.window}}` (Sloth renders with `missingkey=error`), then unbalanced `()[]{}` or an unclosed
 * string. Sloth parses the rendered query with Prometheus's parser; this catches the usual slips.
 */
export function queryTemplateProblem(query: string): string | undefined {
  const rendered = renderWindow(query, '1m');
  const action = /\{\{[^}]*\}\}/.exec(rendered);
  if (action) return `template action ${action[0]} is not supported: only {{.window}} is`;
  const closing: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  for (let i = 0; i < rendered.length; i++) {
    const c = rendered[i]!;
    if (c === '"' || c === "'" || c === '`') {
      const end = findStringEnd(rendered, i, c);
      if (end === -1) return `string starting at character ${i + 1} is not closed`;
      i = end;
    } else if (c === '#') {
      // A PromQL comment runs to the end of the line.
      const newline = rendered.indexOf('\n', i);
      i = newline === -1 ? rendered.length : newline;
    } else if (c === '(' || c === '[' || c === '{') {
      stack.push(c);
    } else if (c in closing) {
      const open = stack.pop();
      if (open !== closing[c]) return `unbalanced ${c} at character ${i + 1}`;
    }
  }
  if (stack.length > 0) return `unclosed ${stack[stack.length - 1]}`;
  if (rendered.trim() === '') return 'query is empty';
  return undefined;
}

function findStringEnd(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\' && quote !== '`') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/** No lone surrogates: the string encodes as UTF-8. */
const WELL_FORMED_UTF16 = /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

/** Classic Prometheus label names; every Prometheus version accepts them. */
const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * How Prometheus takes a label name: `legacy` everywhere, `utf8` only from Prometheus 3.0 (and
 * Sloth's validator, which accepts any UTF-8), `invalid` never (empty, `__name__` as a label key).
 */
export function labelNameKind(name: string): 'legacy' | 'utf8' | 'invalid' {
  if (name === '' || name === '__name__') return 'invalid';
  if (LEGACY_LABEL_NAME.test(name)) return 'legacy';
  return WELL_FORMED_UTF16.test(name) ? 'utf8' : 'invalid';
}

/** Go's `strconv.Quote` for the label values Pave writes in PromQL matchers. */
export function quotePromString(value: string): string {
  // JSON escaping matches Go's for quotes, backslashes and control characters Prometheus accepts.
  return JSON.stringify(value);
}

/** `{k1="v1", k2="v2"}` with keys sorted: Prometheus `LabelSet.String()`, as Sloth writes filters. */
export function labelFilter(labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((key) => `${key}=${quotePromString(labels[key]!)}`);
  return `{${parts.join(', ')}}`;
}

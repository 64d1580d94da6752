/**
 * Entity references, as Backstage writes them: `[kind:][namespace/]name`.
 *
 * Follows `@backstage/catalog-model` `parseEntityRef` and `stringifyEntityRef`: the kind is what
 * precedes the first `:`, the namespace what precedes the first `/` after it, and a reference may
 * leave out either when the context gives a default (an `owner` field defaults to kind Group).
 */

export const DEFAULT_NAMESPACE = 'default';

/** The three parts that name an entity. */
export interface CompoundEntityRef {
  kind: string;
  namespace: string;
  name: string;
}

/** Parses `[kind:][namespace/]name`; throws a `TypeError` naming what is missing or malformed. */
export function parseEntityRef(
  ref: string,
  context: { defaultKind?: string; defaultNamespace?: string } = {},
): CompoundEntityRef {
  if (typeof ref !== 'string' || ref.length === 0) {
    throw new TypeError('Entity reference must be a non-empty string');
  }
  const colon = ref.indexOf(':');
  const slash = ref.indexOf('/');
  // A colon after the slash belongs to the name (Backstage: kind may not contain '/').
  const hasKind = colon !== -1 && (slash === -1 || colon < slash);
  const kind = hasKind ? ref.slice(0, colon) : context.defaultKind;
  const rest = hasKind ? ref.slice(colon + 1) : ref;
  const restSlash = rest.indexOf('/');
  const namespace =
    restSlash === -1 ? (context.defaultNamespace ?? DEFAULT_NAMESPACE) : rest.slice(0, restSlash);
  const name = restSlash === -1 ? rest : rest.slice(restSlash + 1);
  if (!kind) throw new TypeError(`Entity reference "${ref}" has no kind and none is implied here`);
  if (!namespace) throw new TypeError(`Entity reference "${ref}" has an empty namespace`);
  if (!name) throw new TypeError(`Entity reference "${ref}" has an empty name`);
  return { kind, namespace, name };
}

/** `kind:namespace/name`, with kind and namespace in lower case and the name as written. */
export function stringifyEntityRef(ref: CompoundEntityRef): string {
  return `${ref.kind.toLocaleLowerCase('en-US')}:${ref.namespace.toLocaleLowerCase('en-US')}/${ref.name}`;
}

/** The case-insensitive key Pave stores and compares references by: the whole ref in lower case. */
export function entityRefKey(ref: CompoundEntityRef | string): string {
  const text = typeof ref === 'string' ? stringifyEntityRef(parseEntityRef(ref)) : stringifyEntityRef(ref);
  return text.toLocaleLowerCase('en-US');
}

/** Parses a reference and returns its key, or `undefined` when it does not parse. */
export function tryEntityRefKey(
  ref: string,
  context: { defaultKind?: string; defaultNamespace?: string } = {},
): string | undefined {
  try {
    return entityRefKey(parseEntityRef(ref, context));
  } catch {
    return undefined;
  }
}

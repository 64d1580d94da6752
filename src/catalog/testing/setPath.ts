/** Test helpers that change one node of a parsed document, addressed by a dotted path. */

type Node = Record<string, unknown>;

function parent(document: unknown, path: string): [Node, string] {
  const keys = path.split('.');
  let node = document as Node;
  for (const key of keys.slice(0, -1)) node = node[key] as Node;
  return [node, keys.at(-1)!];
}

/** Sets `a.b.0.c` (numeric parts index lists) to `value`. */
export function setPath(document: unknown, path: string, value: unknown): void {
  const [node, key] = parent(document, path);
  node[key] = value;
}

/** Removes the node at `a.b.c`. */
export function deletePath(document: unknown, path: string): void {
  const [node, key] = parent(document, path);
  delete node[key];
}

/**
 * The commit hidden in an artifact id. CDEvents name artifacts with a Package URL
 * (https://github.com/package-url/purl-spec: `pkg:type/namespace/name@version?qualifiers#subpath`);
 * some carry the commit, most (image digests, semantic versions) do not.
 */

/** The parts of a purl Pave reads. */
export interface PurlParts {
  type: string;
  name: string;
  version?: string;
  qualifiers: Record<string, string>;
}

/** Parses a purl; `undefined` when the text is not one. */
export function parsePurl(text: string): PurlParts | undefined {
  if (!text.startsWith('pkg:')) return undefined;
  let rest = text.slice(4);
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const qualifiers: Record<string, string> = {};
  const question = rest.indexOf('?');
  if (question !== -1) {
    for (const pair of rest.slice(question + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq > 0) qualifiers[pair.slice(0, eq).toLowerCase()] = safeDecode(pair.slice(eq + 1));
    }
    rest = rest.slice(0, question);
  }
  // The version follows the last '@' of the path (a namespace may not contain an unencoded '@').
  const at = rest.lastIndexOf('@');
  const version = at === -1 ? undefined : safeDecode(rest.slice(at + 1));
  const path = at === -1 ? rest : rest.slice(0, at);
  const slash = path.indexOf('/');
  if (slash <= 0) return undefined;
  const type = path.slice(0, slash).toLowerCase();
  const segments = path.slice(slash + 1).split('/');
  const name = safeDecode(segments[segments.length - 1] ?? '');
  if (!name) return undefined;
  return version === undefined || version === ''
    ? { type, name, qualifiers }
    : { type, name, version, qualifiers };
}

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const REVISION = /@([0-9a-f]{7,64})$/i;

/**
 * The commit an artifact id names, if any: a purl `vcs_url` qualifier ending in `@<revision>`
 * (the purl spec's way to pin a commit), or a purl version that is a full git sha (40 or 64 hex
 * digits; shorter hex versions such as `20240101` are too easily something else). An OCI digest
 * (`sha256:...`) is an image, not a commit.
 */
export function commitFromArtifactId(artifactId: string): string | undefined {
  const purl = parsePurl(artifactId);
  if (!purl) return undefined;
  const vcs = purl.qualifiers.vcs_url;
  const revision = vcs === undefined ? undefined : REVISION.exec(vcs)?.[1];
  if (revision) return revision.toLowerCase();
  if (purl.version !== undefined && FULL_SHA.test(purl.version)) return purl.version.toLowerCase();
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The documentation's own links: every relative link in README.md and docs/ names a file that
 * exists and, with `#anchor`, a heading in it (GitHub's anchor rules), so a page moved or a heading
 * renamed cannot silently strand a reader.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

function markdownFiles(): string[] {
  const docs = readdirSync(path.join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join(root, 'docs', name));
  return [path.join(root, 'README.md'), ...docs];
}

describe('documentation links', () => {
  const files = markdownFiles();

  it('finds the pages', () => {
    expect(files.map((file) => path.relative(root, file))).toEqual(
      expect.arrayContaining(['README.md', 'docs/metrics.md', 'docs/formats.md']),
    );
  });

  for (const file of files) {
    it(`resolves every relative link in ${path.relative(root, file)}`, () => {
      const text = readFileSync(file, 'utf8')
        .replace(/```[\s\S]*?```/g, '')
        .replace(/`[^`\n]*`/g, '');
      const broken: string[] = [];
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1]!;
        if (/^[a-z]+:/i.test(target)) continue; // http:, https:, mailto:
        const [page, anchor] = target.split('#') as [string, string | undefined];
        const pagePath = page === '' ? file : path.resolve(path.dirname(file), page);
        if (!existsSync(pagePath)) {
          broken.push(`${target}: no such file`);
          continue;
        }
        if (
          anchor &&
          pagePath.endsWith('.md') &&
          !headingAnchors(readFileSync(pagePath, 'utf8')).has(anchor)
        ) {
          broken.push(`${target}: no heading with anchor #${anchor}`);
        }
      }
      expect(broken).toEqual([]);
    });
  }
});

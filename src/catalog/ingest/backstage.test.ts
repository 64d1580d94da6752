import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../core/errors.js';
import { tempFolder } from '../../core/testing/tempFiles.js';
import { fileLocationKey, readCatalogFiles, readCatalogText } from './backstage.js';

const fixtures = path.resolve(import.meta.dirname, '../../../../shared/fixtures/backstage');

const component = (name: string) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: production
  owner: team-a
`;

describe('readCatalogFiles', () => {
  it('follows Location targets from the entry file, each file once', () => {
    const result = readCatalogFiles([path.join(fixtures, 'examples/all.yaml')]);
    const names = result.documents.map((d) => (d.entity.metadata as { name: string }).name);
    expect(names).toContain('example-all'); // the Location itself is an entity
    expect(names).toContain('jacs');
    expect(names).toContain('artist-engagement-portal');
    expect(new Set(result.locations).size).toBe(result.locations.length);
    expect(result.locations).toContain(
      fileLocationKey(path.join(fixtures, 'examples/components/mapping-component.yaml')),
    );
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('substitutes $text placeholders relative to the entity file and leaves remote ones with a warning', () => {
    const result = readCatalogFiles([path.join(fixtures, 'everything.yaml')]);
    const petstore = result.documents.find(
      (d) => d.entity.kind === 'API' && (d.entity.metadata as { name: string }).name === 'petstore',
    );
    const definition = (petstore!.entity.spec as { definition: unknown }).definition;
    expect(typeof definition).toBe('string');
    expect(definition).toContain('openapi:');
    const remote = result.problems.find((p) => p.message.includes('is remote and was not fetched'));
    expect(remote?.severity).toBe('warning');
    expect(remote?.location?.line).toBeGreaterThan(0);
  });

  it('reports a syntax error at file:line:col and still reads the other files', () => {
    const dir = tempFolder({
      'good.yaml': component('good'),
      'broken.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [unclosed\n',
    });
    const result = readCatalogFiles([dir], { cwd: dir });
    expect(result.documents.map((d) => (d.entity.metadata as { name: string }).name)).toEqual(['good']);
    const error = result.problems.find((p) => p.severity === 'error');
    expect(error?.location?.file).toBe('broken.yaml');
    expect(error?.location?.line).toBeGreaterThanOrEqual(4);
    expect(result.failedLocations).toEqual([fileLocationKey(path.join(dir, 'broken.yaml'))]);
    expect(result.locations).toEqual([fileLocationKey(path.join(dir, 'good.yaml'))]);
  });

  it('reports duplicate keys at the repeated key', () => {
    const dir = tempFolder({ 'dup.yaml': `${component('dup')}  owner: team-b\n` });
    const result = readCatalogFiles([path.join(dir, 'dup.yaml')], { cwd: dir });
    expect(result.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^dup\.yaml:9:3: error: .*unique/),
    ]);
    expect(result.documents).toEqual([]);
  });

  it('rejects a document that is not a mapping, and keeps the other documents of the file', () => {
    const dir = tempFolder({ 'multi.yaml': `${component('one')}---\n- a\n- b\n---\n${component('two')}` });
    const result = readCatalogFiles([path.join(dir, 'multi.yaml')], { cwd: dir });
    expect(result.documents.map((d) => (d.entity.metadata as { name: string }).name)).toEqual(['one', 'two']);
    expect(result.problems.map(formatProblem)).toEqual([
      'multi.yaml:10:1: error: a catalog document must be a mapping with apiVersion, kind and metadata; found a list',
    ]);
    expect(result.failedLocations).toHaveLength(1);
  });

  it('rejects a 10 MB document without reading it as an entity', () => {
    const big = `${component('big')}metadata2: "${'x'.repeat(10 * 1024 * 1024)}"\n`;
    const dir = tempFolder({ 'big.yaml': `${component('small')}---\n${big}` });
    const result = readCatalogFiles([path.join(dir, 'big.yaml')], { cwd: dir });
    expect(result.documents.map((d) => (d.entity.metadata as { name: string }).name)).toEqual(['small']);
    expect(result.problems).toHaveLength(1);
    expect(formatProblem(result.problems[0]!)).toMatch(
      /^big\.yaml:10:1: error: the document is 10\.0 MB, over the 4\.0 MB limit/,
    );
  });

  it('refuses a YAML alias bomb', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const dir = tempFolder({
      'bomb.yaml': `${bomb.join('\n')}\napiVersion: backstage.io/v1alpha1\nkind: Component\n`,
    });
    const result = readCatalogFiles([path.join(dir, 'bomb.yaml')], { cwd: dir });
    expect(result.documents).toEqual([]);
    expect(result.problems[0]?.severity).toBe('error');
    expect(result.problems[0]?.message).toMatch(/alias/i);
  });

  it('reports a Location target that does not exist at the target, and expands globs', () => {
    const dir = tempFolder({
      'all.yaml': `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: all
spec:
  targets:
    - ./teams/*.yaml
    - ./missing.yaml
    - https://example.com/catalog-info.yaml
`,
      'teams/a.yaml': component('a'),
      'teams/b.yaml': component('b'),
    });
    const result = readCatalogFiles([path.join(dir, 'all.yaml')], { cwd: dir });
    expect(result.documents.map((d) => (d.entity.metadata as { name: string }).name).sort()).toEqual([
      'a',
      'all',
      'b',
    ]);
    expect(result.problems.map(formatProblem).sort()).toEqual([
      'all.yaml:8:7: error: Location target ./missing.yaml does not exist [location:all]',
      'all.yaml:9:7: warning: Location target https://example.com/catalog-info.yaml is remote (type file) and was not fetched [location:all]',
    ]);
  });

  it('skips YAML files that are not catalog files when scanning a folder', () => {
    const dir = tempFolder({
      'api.oas.yaml': 'openapi: 3.0.0\ninfo: {title: x, version: "1"}\n',
      'c.yaml': component('c'),
    });
    const result = readCatalogFiles([dir], { cwd: dir });
    expect(result.documents).toHaveLength(1);
    expect(result.problems).toEqual([]);
  });

  it('names a missing input', () => {
    const result = readCatalogFiles(['/no/such/catalog.yaml']);
    expect(result.problems.map(formatProblem)).toEqual([
      '/no/such/catalog.yaml: error: no such file or folder',
    ]);
  });
});

describe('readCatalogText', () => {
  it('does not follow Locations nor read files named by placeholders from a request body', () => {
    const result = readCatalogText(
      `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: sneaky
spec:
  target: /etc/passwd
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: x
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition:
    $text: /etc/hostname
`,
      { name: 'request body', locationKey: 'api:test' },
    );
    expect(result.documents).toHaveLength(2);
    expect((result.documents[1]!.entity.spec as { definition: unknown }).definition).toEqual({
      $text: '/etc/hostname',
    });
    expect(result.problems.map((p) => p.severity)).toEqual(['warning', 'warning']);
    expect(result.locations).toEqual(['api:test']);
  });
});

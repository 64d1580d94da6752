import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSection, loadConfig } from './config.js';
import { formatProblem, InputError } from './errors.js';
import { tempFolder, writeFiles } from './testing/tempFiles.js';

let cwd: string;
beforeEach(() => {
  cwd = tempFolder({}, 'pave-config-');
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

/** The problems `load` throws, as the CLI prints them. */
function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof InputError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error('no error');
}

const sections = {
  catalog: z.strictObject({ strict: z.boolean().default(false) }),
  reliability: z.looseObject({ prometheus: z.object({ url: z.string() }).optional() }),
};

describe('loadConfig', () => {
  it('reports every problem of pave.yaml at once, each at its line and column, in file order', () => {
    writeFiles(cwd, {
      'pave.yaml': 'server:\n  hots: x\n  port: abc\ncatalog:\n  strict: maybe\ncatlog: {}\n',
    });
    expect(problemsOf(() => loadConfig({ cwd, env: {}, sections }))).toEqual([
      'pave.yaml:2:3: error: unknown key hots in server; known keys: host, port, bodyLimitBytes',
      'pave.yaml:3:9: error: server.port: must be a port number 1-65535 (0 picks a free one), not "abc"',
      'pave.yaml:5:11: error: catalog.strict: must be true or false, not "maybe"',
      'pave.yaml:6:1: error: unknown key catlog; known keys: db, server, api, catalog, reliability',
    ]);
  });

  it('names the environment variable that set a bad value, not a file', () => {
    expect(problemsOf(() => loadConfig({ cwd, env: { PAVE_PORT: 'abc' } }))).toEqual([
      'error: PAVE_PORT: must be a port number 1-65535 (0 picks a free one), not "abc"',
    ]);
    expect(problemsOf(() => loadConfig({ cwd, env: { PAVE_PORT: '70000' } }))[0]).toMatch(
      /^error: PAVE_PORT: /,
    );
    expect(loadConfig({ cwd, env: { PAVE_PORT: '8080' } }).server.port).toBe(8080);
  });

  it('leaves a loose section alone and accepts a file without problems', () => {
    writeFiles(cwd, { 'pave.yaml': 'server:\n  port: 7000\nreliability:\n  anything: 1\n' });
    expect(loadConfig({ cwd, env: {}, sections }).server.port).toBe(7000);
  });
});

describe('configSection', () => {
  it('rejects the unknown keys of a strict schema at their line, listing the known ones', () => {
    writeFiles(cwd, { 'pave.yaml': 'delivery:\n  tiers: "2024"\n  teirs: 2023\n' });
    const config = loadConfig({ cwd, env: {} });
    const schema = z.strictObject({ tiers: z.enum(['2023', '2024']).default('2024') });
    expect(problemsOf(() => configSection(config, 'delivery', schema))).toEqual([
      'pave.yaml:3:3: error: unknown key teirs in delivery; known keys: tiers',
    ]);
    expect(configSection(config, 'delivery', z.looseObject({ tiers: z.string() })).tiers).toBe('2024');
  });
});

/**
 * The `pave` command line, run in-process through `runPave` with captured output, a temporary
 * working folder and a DuckDB file in it. The catalog's rules are tested in `src/catalog`; these
 * tests check the interface: exit codes, what goes to stdout and stderr, formats, configuration.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempFolder, writeFiles } from '../core/testing/tempFiles.js';
import { runPave } from './main.js';

const examples = path.resolve(import.meta.dirname, '../../../shared/fixtures/backstage/examples');
const packageVersion = (
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** A writable that keeps what is written, and says whether it is a terminal. */
class Collector extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let cwd: string;

async function pave(
  argv: readonly string[],
  options: { env?: NodeJS.ProcessEnv; tty?: boolean } = {},
): Promise<Run> {
  const stdout = new Collector(options.tty ?? false);
  const stderr = new Collector(options.tty ?? false);
  const code = await runPave(argv, {
    stdout,
    stderr,
    stdin: Readable.from([]),
    cwd,
    env: options.env ?? {},
    interrupted: new Promise(() => {}),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const DB = ['--db', 'test.duckdb'];

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

const component = (name: string, spec = '') => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: production
  owner: guests
${spec}`;

const GUESTS = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: guests
spec:
  type: team
  children: []
`;

/** Strict RFC 4180: CRLF between records, `"` only around a field, `""` inside one. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let atFieldStart = true;
  while (i < text.length) {
    const char = text[i]!;
    if (atFieldStart && char === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      atFieldStart = false;
      if (i < text.length && text[i] !== ',' && text[i] !== '\r')
        throw new Error(`text after a quote at ${i}`);
      continue;
    }
    if (char === ',') {
      record.push(field);
      field = '';
      atFieldStart = true;
      i++;
    } else if (char === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`bare CR at ${i}`);
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      atFieldStart = true;
      i += 2;
    } else if (char === '\n' || char === '"') {
      throw new Error(`${JSON.stringify(char)} outside quotes at ${i}`);
    } else {
      field += char;
      atFieldStart = false;
      i++;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('the last record does not end with CRLF');
  return records;
}

beforeEach(() => {
  cwd = tempFolder({}, 'pave-cli-');
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

describe('pave: help and usage', () => {
  it('prints the usage on stderr and exits 2 for no command at all', async () => {
    for (const argv of [[], ['--db', 'x.duckdb'], ['-o', 'json']]) {
      const run = await pave(argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^Usage: pave <noun> <verb> \[options\]/);
      expect(run.stderr).toMatch(/^ {2}catalog list +\S/m);
    }
  });

  it('prints the commands for --help and help', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const run = await pave(argv);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^Usage: pave <noun> <verb> \[options\]/);
      for (const name of [
        'catalog validate',
        'catalog import',
        'catalog list',
        'catalog get',
        'catalog graph',
        'serve',
        'demo',
      ]) {
        expect(run.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
      }
    }
  });

  it('prints a command help with its own options and the global ones', async () => {
    const run = await pave(['catalog', 'list', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: pave catalog list \[options\]/);
    for (const flag of [
      '--kind <kind>',
      '--owner <ref>',
      '-s, --search <text>',
      '--db <db>',
      '-o, --format <fmt>',
      '-q, --quiet',
    ]) {
      expect(run.stdout).toContain(flag);
    }
    // -q is --quiet in every command.
    expect(run.stdout).not.toContain('-q, --search');
    expect(existsSync(path.join(cwd, '.pave'))).toBe(false);
  });

  it('prints the package version', async () => {
    for (const flag of ['--version', '-v', 'version']) {
      expect(await pave([flag])).toEqual({ code: 0, stdout: `${packageVersion}\n`, stderr: '' });
    }
  });

  it('exits 2 for an unknown command, naming it, with the command list on stderr', async () => {
    const run = await pave(['frobnicate', '--now']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^pave: unknown command "frobnicate"\n/);
    expect(run.stderr).toContain('Usage: pave <noun> <verb>');
    const typo = await pave(['catalog', 'lsit']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown command "catalog lsit"/);
  });

  it('exits 2 for a noun without its verb, listing the verbs', async () => {
    const run = await pave(['catalog']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ {2}catalog list/m);
    expect(run.stderr).not.toMatch(/^ {2}serve/m);
  });

  it('exits 2 for an unknown flag or a flag without its value, pointing at the help, touching no database', async () => {
    for (const [argv, message] of [
      [['catalog', 'list', '--bogus'], 'unknown option --bogus for pave catalog list'],
      [
        ['catalog', 'list', '--kind'],
        'option --kind needs a value (one starting with - is written --kind=-value)',
      ],
      [['catalog', 'list', '--quiet=yes'], 'option --quiet takes no value'],
      [['catalog', 'validate', '-z', 'x.yaml'], 'unknown option -z for pave catalog validate'],
    ] as const) {
      const run = await pave([...argv, ...DB]);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`error: ${message}; see pave ${argv[0]} ${argv[1]} --help\n`);
    }
    expect(existsSync(path.join(cwd, 'test.duckdb'))).toBe(false);
  });

  it('exits 2 for the wrong number of arguments', async () => {
    for (const [argv, expected] of [
      [['catalog', 'get'], 'takes 1 argument (<ref>), got 0'],
      [['catalog', 'get', 'a', 'b'], 'takes 1 argument (<ref>), got 2'],
      [['catalog', 'validate'], 'takes at least 1 argument (<file or folder>...), got 0'],
      [['catalog', 'list', 'extra'], 'takes no arguments, got 1'],
      [['serve', 'now'], 'takes no arguments, got 1'],
    ] as const) {
      const run = await pave([...argv, ...DB]);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toContain(
        `error: pave ${argv[0] === 'serve' ? 'serve' : `${argv[0]} ${argv[1]}`} ${expected}`,
      );
    }
    expect(existsSync(path.join(cwd, 'test.duckdb'))).toBe(false);
  });

  it('exits 2 for a format the command does not have', async () => {
    const xml = await pave(['catalog', 'list', '--format', 'xml', ...DB]);
    expect(xml.code).toBe(2);
    expect(xml.stderr).toBe('error: --format must be table, json or csv, not xml\n');
    for (const format of ['json', 'csv']) {
      const rules = await pave(['slo', 'rules', 'spec.yaml', '-o', format, ...DB]);
      expect(rules.code).toBe(2);
      expect(rules.stdout).toBe('');
      expect(rules.stderr).toBe(
        `error: pave slo rules writes Prometheus rule YAML; --format ${format} does not apply\n`,
      );
    }
  });
});

describe('pave catalog validate', () => {
  beforeEach(() => {
    copyFileSync(
      path.join(examples, 'components/invalid-component.yaml'),
      path.join(cwd, 'invalid-component.yaml'),
    );
  });

  it('exits 1 and prints each error as file:line:col on stderr, nothing on stdout', async () => {
    const run = await pave(['catalog', 'validate', 'invalid-component.yaml']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const printed = lines(run.stderr);
    expect(printed).toHaveLength(3);
    expect(printed[0]).toMatch(
      /^invalid-component\.yaml:4:3: error: metadata\.name "invalid component" is not valid: .+ \[component:default\/invalid component\]$/,
    );
    expect(printed[1]).toMatch(
      /^invalid-component\.yaml:11:7: error: tag "go 1\.15\.3" is not valid: .+ \[component:default\/invalid component\]$/,
    );
    expect(printed[2]).toBe('1 file, 1 entity: 2 errors, 0 warnings');
    expect(existsSync(path.join(cwd, '.pave'))).toBe(false);
  });

  it('prints the problems as CSV with --format csv, and only the summary on stderr', async () => {
    const run = await pave(['catalog', 'validate', 'invalid-component.yaml', '--format', 'csv']);
    expect(run.code).toBe(1);
    const records = parseCsv(run.stdout);
    expect(records[0]).toEqual(['severity', 'file', 'line', 'column', 'pointer', 'message', 'entityRef']);
    expect(records.slice(1).map((record) => record.slice(0, 4))).toEqual([
      ['error', 'invalid-component.yaml', '4', '3'],
      ['error', 'invalid-component.yaml', '11', '7'],
    ]);
    expect(records[1]![6]).toBe('component:default/invalid component');
    expect(run.stderr).toBe('');
  });

  it('prints the report as JSON with --format json, and nothing on stderr', async () => {
    const run = await pave(['catalog', 'validate', 'invalid-component.yaml', '--format', 'json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as Record<string, unknown> & {
      problems: Record<string, unknown>[];
    };
    expect(Object.keys(report)).toEqual(['files', 'entities', 'valid', 'errors', 'warnings', 'problems']);
    expect(report).toMatchObject({ files: 1, entities: 1, valid: 0, errors: 2, warnings: 0 });
    expect(report.problems.map((p) => [p.severity, p.file, p.line, p.column, p.entityRef])).toEqual([
      ['error', 'invalid-component.yaml', 4, 3, 'component:default/invalid component'],
      ['error', 'invalid-component.yaml', 11, 7, 'component:default/invalid component'],
    ]);
  });

  it('exits 0 for the valid examples, printing only warnings', async () => {
    const everything = path.join(examples, '../everything.yaml');
    const run = await pave(['catalog', 'validate', everything]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const printed = lines(run.stderr);
    const summary = printed.pop();
    expect(summary).toMatch(/^\d+ files, \d+ entities: 0 errors, (\d+) warnings?$/);
    expect(printed.length).toBe(Number(/(\d+) warning/.exec(summary!)![1]));
    for (const line of printed) expect(line).toMatch(/^\S+\.yaml:\d+:\d+: warning: /);
  });

  it('reports a YAML syntax error by file, line and column', async () => {
    writeFiles(cwd, { 'broken.yaml': `${component('a')}---\nkind: [Component\n` });
    const run = await pave(['catalog', 'validate', 'broken.yaml']);
    expect(run.code).toBe(1);
    // The parser places an unclosed flow sequence where it gave up: the line after.
    expect(run.stderr).toMatch(/^broken\.yaml:11:1: error: Flow sequence/m);
  });

  it('refuses a path that does not exist as a usage error, naming it', async () => {
    writeFiles(cwd, { 'good.yaml': component('a') });
    const run = await pave(['catalog', 'validate', 'good.yaml', 'missing.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^missing\.yaml: error: no such file or folder$/m);
  });

  it('accepts global options written before the command', async () => {
    const run = await pave(['--format', 'json', 'catalog', 'list', ...DB]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
  });
});

describe('pave catalog import', () => {
  beforeEach(() => {
    copyFileSync(
      path.join(examples, 'components/invalid-component.yaml'),
      path.join(cwd, 'invalid-component.yaml'),
    );
    writeFiles(cwd, { 'good.yaml': `${GUESTS}---\n${component('good-one')}` });
  });

  async function stored(db = DB): Promise<string[]> {
    const run = await pave(['catalog', 'list', '--format', 'json', ...db]);
    expect(run.code).toBe(0);
    return (JSON.parse(run.stdout) as { ref: string }[]).map((entity) => entity.ref);
  }

  it('imports nothing when any file is invalid, exiting 2 with every error located', async () => {
    const run = await pave(['catalog', 'import', 'good.yaml', 'invalid-component.yaml', ...DB]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const printed = lines(run.stderr);
    // Each problem once, then what became of the import.
    expect(printed.slice(0, -1).map((line) => /^([^:]+:\d+:\d+): error: /.exec(line)?.[1])).toEqual([
      'invalid-component.yaml:4:3',
      'invalid-component.yaml:11:7',
    ]);
    expect(printed.at(-1)).toBe(
      'error: the catalog has 2 errors; nothing was imported (use --partial to import the valid entities)',
    );
    expect(await stored()).toEqual([]);
  });

  it('imports the valid entities with --partial and exits 1', async () => {
    const run = await pave(['catalog', 'import', 'good.yaml', 'invalid-component.yaml', '--partial', ...DB]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^invalid-component\.yaml:4:3: error: /m);
    expect(run.stderr).toMatch(
      /: 2 added, 0 updated, 0 removed, 0 unchanged, 1 rejected \(2 errors, 0 warnings\)$/m,
    );
    expect(await stored()).toEqual(['component:default/good-one', 'group:default/guests']);
  });

  it('reports what changed, in JSON too, and changes nothing on a repeat', async () => {
    const first = await pave(['catalog', 'import', 'good.yaml', ...DB]);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toMatch(
      /^imported into .*test\.duckdb: 2 added, 0 updated, 0 removed, 0 unchanged \(0 errors, 0 warnings\)\n$/,
    );
    const again = await pave(['catalog', 'import', 'good.yaml', '--format', 'json', ...DB]);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    expect(JSON.parse(again.stdout)).toEqual({
      added: 0,
      updated: 0,
      removed: 0,
      unchanged: 2,
      rejected: 0,
      errors: 0,
      warnings: 0,
      problems: [],
    });
    const quiet = await pave(['catalog', 'import', 'good.yaml', '--quiet', ...DB]);
    expect(quiet).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('opens --db relative to the working folder', async () => {
    await pave(['catalog', 'import', 'good.yaml', '--db', 'data/here.duckdb']);
    expect(existsSync(path.join(cwd, 'data/here.duckdb'))).toBe(true);
    expect(existsSync(path.join(cwd, '.pave'))).toBe(false);
  });

  it('draws progress only on a terminal, and not with --quiet', async () => {
    const piped = await pave(['catalog', 'import', 'good.yaml', ...DB]);
    expect(piped.stderr).not.toContain('\r');
    expect(piped.stderr).not.toContain('\x1b');
    const terminal = await pave(['catalog', 'import', 'good.yaml', ...DB], { tty: true });
    expect(terminal.stderr).toContain('\r\x1b[2Kreading catalog files');
    const quiet = await pave(['catalog', 'import', 'good.yaml', '--quiet', ...DB], { tty: true });
    expect(quiet.stderr).toBe('');
  });

  it('says which database could not be opened', async () => {
    writeFiles(cwd, { 'folder/keep': '' });
    const run = await pave(['catalog', 'list', '--db', 'folder']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: cannot open the database .*folder/);
  });
});

describe('pave catalog list, get and graph', () => {
  const SHOP = `apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: shop
  title: The shop, "online"
spec:
  owner: guests
`;

  beforeEach(async () => {
    writeFiles(cwd, {
      'catalog.yaml': [
        GUESTS,
        SHOP,
        component('checkout', '  system: shop\n  dependsOn: [component:payments]\n').replace(
          'type: service',
          `type: 'web, "mobile"'`,
        ),
        component('payments', '  system: shop\n  dependsOn: [resource:ledger-db]\n'),
        `apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: ledger-db\nspec:\n  type: database\n  owner: guests\n`,
      ].join('---\n'),
    });
    const run = await pave(['catalog', 'import', 'catalog.yaml', '--quiet', ...DB]);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('lists as RFC 4180 CSV, quoting commas and quotes', async () => {
    const run = await pave(['catalog', 'list', '--format', 'csv', ...DB]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('"web, ""mobile"""');
    const records = parseCsv(run.stdout);
    expect(records[0]).toEqual(['ref', 'type', 'lifecycle', 'owner', 'system']);
    expect(records.slice(1)).toEqual([
      [
        'component:default/checkout',
        'web, "mobile"',
        'production',
        'group:default/guests',
        'system:default/shop',
      ],
      ['component:default/payments', 'service', 'production', 'group:default/guests', 'system:default/shop'],
      ['group:default/guests', 'team', '', '', ''],
      ['resource:default/ledger-db', 'database', '', 'group:default/guests', ''],
      ['system:default/shop', '', '', 'group:default/guests', ''],
    ]);
  });

  it('lists as an aligned table with a count on stderr, filtered', async () => {
    const run = await pave(['catalog', 'list', '--kind', 'component', ...DB]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('2 entities\n');
    const [header, ...rows] = lines(run.stdout);
    expect(header!.split(/ {2,}/)).toEqual(['REF', 'TYPE', 'LIFECYCLE', 'OWNER', 'SYSTEM']);
    expect(rows).toHaveLength(2);
    const starts = ['REF', 'TYPE', 'LIFECYCLE', 'OWNER', 'SYSTEM'].map((title) => header!.indexOf(title));
    for (const row of rows) {
      const cells = row.split(/ {2,}/);
      expect(cells).toHaveLength(5);
      expect(cells.map((cell, i) => row.indexOf(cell, i === 0 ? 0 : starts[i]! - 1))).toEqual(starts);
    }
    expect(rows[0]).toMatch(/^component:default\/checkout {2}web, "mobile" {2}production/);
    for (const flag of ['--search', '-s']) {
      const search = await pave(['catalog', 'list', flag, 'ONLINE', '--format', 'json', ...DB]);
      expect((JSON.parse(search.stdout) as { ref: string }[]).map((e) => e.ref)).toEqual([
        'system:default/shop',
      ]);
    }
    const one = await pave(['catalog', 'list', '--kind', 'system', ...DB]);
    expect(one.stderr).toBe('1 entity\n');
    expect(await pave(['catalog', 'list', '-q', ...DB])).toMatchObject({ code: 0, stderr: '' });
  });

  it('gets one entity as JSON with its relations and warnings', async () => {
    const run = await pave(['catalog', 'get', 'checkout', '--format', 'json', ...DB]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const detail = JSON.parse(run.stdout) as {
      ref: string;
      entity: { metadata: { name: string } };
      relations: { sourceRef: string; type: string; targetRef: string }[];
      warnings: unknown[];
    };
    expect(detail.ref).toBe('component:default/checkout');
    expect(detail.entity.metadata.name).toBe('checkout');
    expect(detail.relations).toEqual(
      expect.arrayContaining([
        { sourceRef: detail.ref, type: 'dependsOn', targetRef: 'component:default/payments' },
        { sourceRef: detail.ref, type: 'ownedBy', targetRef: 'group:default/guests' },
        { sourceRef: detail.ref, type: 'partOf', targetRef: 'system:default/shop' },
      ]),
    );
    expect(detail.warnings).toEqual([]);
    const text = await pave(['catalog', 'get', 'Component:Default/Checkout', ...DB]);
    expect(text.stdout).toMatch(
      /^component:default\/checkout\n\nRELATIONS\n {2}dependsOn +component:default\/payments$/m,
    );
  });

  it('exits 1 for an entity that is not there, 2 for a malformed reference', async () => {
    const missing = await pave(['catalog', 'get', 'component:ghost', ...DB]);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe('error: no entity component:default/ghost in the catalog\n');
    const malformed = await pave(['catalog', 'get', 'component:', ...DB]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/^error: entity reference: .*empty name/);
  });

  it('walks the graph both ways, in JSON and as a table', async () => {
    const down = await pave(['catalog', 'graph', 'checkout', '--format', 'json', ...DB]);
    expect(down.code).toBe(0);
    const graph = JSON.parse(down.stdout) as { nodes: { ref: string; distance: number }[] };
    expect(graph.nodes.map((node) => [node.ref, node.distance])).toEqual([
      ['component:default/checkout', 0],
      ['component:default/payments', 1],
      ['resource:default/ledger-db', 2],
    ]);

    const up = await pave(['catalog', 'graph', 'resource:ledger-db', '--direction', 'dependents', ...DB]);
    expect(up.code).toBe(0);
    const [header, ...rows] = lines(up.stdout);
    expect(header!.split(/ {2,}/)).toEqual(['HOPS', 'REF', 'OWNER', 'TIER', 'LIFECYCLE']);
    expect(rows.map((row) => row.trim().split(/ {2,}/).slice(0, 2))).toEqual([
      ['0', 'resource:default/ledger-db'],
      ['1', 'component:default/payments'],
      ['2', 'component:default/checkout'],
    ]);
    expect(up.stderr).toBe('2 dependents within 5 hops of resource:default/ledger-db\n');

    const shallow = await pave([
      'catalog',
      'graph',
      'resource:ledger-db',
      '--direction',
      'dependents',
      '--depth',
      '1',
      '-o',
      'json',
      ...DB,
    ]);
    expect((JSON.parse(shallow.stdout) as { nodes: unknown[] }).nodes).toHaveLength(2);
  });

  it('writes the graph as CSV, one row per edge with the target described', async () => {
    const run = await pave(['catalog', 'graph', 'checkout', '-o', 'csv', ...DB]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(parseCsv(run.stdout)).toEqual([
      ['source', 'type', 'target', 'distance', 'kind', 'owner', 'tier', 'lifecycle', 'missing'],
      [
        'component:default/checkout',
        'dependsOn',
        'component:default/payments',
        '1',
        'Component',
        'group:default/guests',
        '',
        'production',
        'false',
      ],
      [
        'component:default/payments',
        'dependsOn',
        'resource:default/ledger-db',
        '2',
        'Resource',
        'group:default/guests',
        '',
        '',
        'false',
      ],
    ]);
  });

  it('exits 2 for a bad --direction or --depth', async () => {
    for (const [flags, message] of [
      [['--direction', 'up'], '--direction must be dependencies or dependents, not up'],
      [['--depth', '0'], 'depth must be a whole number from 1 to 20'],
      [['--depth', '21'], 'depth must be a whole number from 1 to 20'],
      [['--depth', 'two'], 'depth must be a whole number from 1 to 20'],
    ] as const) {
      const run = await pave(['catalog', 'graph', 'checkout', ...flags, ...DB]);
      expect(run.code, flags.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`error: ${message}\n`);
    }
  });
});

describe('pave configuration: pave.yaml, PAVE_* and flags', () => {
  beforeEach(() => {
    writeFiles(cwd, {
      'lonely.yaml': component('lonely'),
      'good.yaml': `${GUESTS}---\n${component('good-one')}`,
    });
  });

  async function refs(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<string[]> {
    const run = await pave(['catalog', 'list', '--format', 'json', ...argv], { env });
    expect(run.code, run.stderr).toBe(0);
    return (JSON.parse(run.stdout) as { ref: string }[]).map((entity) => entity.ref);
  }

  it('honours db and catalog.strict from pave.yaml', async () => {
    writeFiles(cwd, { 'pave.yaml': 'db: from-file.duckdb\ncatalog:\n  strict: true\n' });
    // With strict, the dangling owner is an error.
    const strict = await pave(['catalog', 'import', 'lonely.yaml']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(
      /^lonely\.yaml:8:\d+: error: ownedBy group:default\/guests: no such entity/m,
    );
    const good = await pave(['catalog', 'import', 'good.yaml']);
    expect(good.code).toBe(0);
    expect(good.stderr).toMatch(/from-file\.duckdb: 2 added/);
    expect(existsSync(path.join(cwd, 'from-file.duckdb'))).toBe(true);
    expect(existsSync(path.join(cwd, '.pave'))).toBe(false);
    expect(await refs([])).toEqual(['component:default/good-one', 'group:default/guests']);
  });

  it('uses PAVE_DB over pave.yaml, and --db over both', async () => {
    writeFiles(cwd, { 'pave.yaml': 'db: from-file.duckdb\n' });
    await pave(['catalog', 'import', 'good.yaml', '--quiet']);
    expect(await refs([], { PAVE_DB: 'from-env.duckdb' })).toEqual([]);
    expect(existsSync(path.join(cwd, 'from-env.duckdb'))).toBe(true);
    expect(await refs(['--db', 'from-file.duckdb'], { PAVE_DB: 'from-env.duckdb' })).toHaveLength(2);
    expect(await refs([])).toHaveLength(2);
  });

  it('uses .pave/pave.duckdb under the working folder by default', async () => {
    await pave(['catalog', 'import', 'good.yaml', '--quiet']);
    expect(existsSync(path.join(cwd, '.pave/pave.duckdb'))).toBe(true);
  });

  it('reads --config instead of ./pave.yaml, and exits 2 when it is missing', async () => {
    writeFiles(cwd, { 'pave.yaml': 'db: ignored.duckdb\n', 'conf/other.yaml': 'db: other.duckdb\n' });
    await pave(['catalog', 'import', 'good.yaml', '--config', 'conf/other.yaml', '--quiet']);
    // The path inside a config file is relative to the working folder, like --db.
    expect(existsSync(path.join(cwd, 'other.duckdb'))).toBe(true);
    expect(existsSync(path.join(cwd, 'ignored.duckdb'))).toBe(false);
    const missing = await pave(['catalog', 'list', '--config', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/config file \S*nope\.yaml does not exist/);
  });

  it('exits 2 for a malformed pave.yaml, at its line and column', async () => {
    for (const [text, where] of [
      ['db: x.duckdb\ncatalog: [strict\n', ':3:1'],
      ['db: a.duckdb\ndb: b.duckdb\n', ':2:1'],
    ] as const) {
      writeFiles(cwd, { 'pave.yaml': text });
      const run = await pave(['catalog', 'list']);
      expect(run.code, text).toBe(2);
      expect(run.stdout).toBe('');
      // Once, located: no second line restating it.
      expect(lines(run.stderr)).toHaveLength(1);
      expect(run.stderr).toMatch(new RegExp(`^\\S*pave\\.yaml${where}: error: `, 'm'));
    }
    expect(existsSync(path.join(cwd, '.pave'))).toBe(false);
  });

  it('exits 2 for a pave.yaml with values of the wrong type', async () => {
    writeFiles(cwd, { 'pave.yaml': 'server:\n  port: many\n' });
    const port = await pave(['catalog', 'list']);
    expect(port.code).toBe(2);
    expect(port.stderr).toBe(
      'pave.yaml:2:9: error: server.port: must be a port number 1-65535 (0 picks a free one), not "many"\n',
    );
    writeFiles(cwd, { 'pave.yaml': 'catalog:\n  strict: maybe\n' });
    // Checked whatever the command: catalog list does not read catalog.strict, but the file is wrong.
    for (const argv of [
      ['catalog', 'validate', 'good.yaml'],
      ['catalog', 'list'],
    ]) {
      const strict = await pave(argv);
      expect(strict.code).toBe(2);
      expect(strict.stderr).toBe(
        'pave.yaml:2:11: error: catalog.strict: must be true or false, not "maybe"\n',
      );
    }
  });

  it('reports every problem of pave.yaml, unknown keys included, each once and located', async () => {
    writeFiles(cwd, {
      'pave.yaml': [
        'server:',
        '  hots: 0.0.0.0',
        '  port: abc',
        'catalog:',
        '  strict: maybe',
        'reliability:',
        '  prometeus:',
        '    url: http://p:9090',
        'delivery:',
        '  tiers: "1999"',
        '',
      ].join('\n'),
    });
    const run = await pave(['catalog', 'list']);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([
      'pave.yaml:2:3: error: unknown key hots in server; known keys: host, port, bodyLimitBytes',
      'pave.yaml:3:9: error: server.port: must be a port number 1-65535 (0 picks a free one), not "abc"',
      'pave.yaml:5:11: error: catalog.strict: must be true or false, not "maybe"',
      'pave.yaml:7:3: error: unknown key prometeus in reliability; known keys: incidents, pagerduty, prometheus',
      'pave.yaml:10:10: error: delivery.tiers: must be one of 2023, 2024, not "1999"',
    ]);
  });

  it('names PAVE_PORT and --db when their values are wrong', async () => {
    const port = await pave(['catalog', 'list'], { env: { PAVE_PORT: 'abc' } });
    expect(port.code).toBe(2);
    expect(port.stderr).toBe(
      'error: PAVE_PORT: must be a port number 1-65535 (0 picks a free one), not "abc"\n',
    );
    const db = await pave(['catalog', 'list', '--db', '']);
    expect(db.code).toBe(2);
    expect(db.stderr).toBe('error: --db: must not be empty, not ""\n');
  });
});

describe('pave deployment record and pave ingest', () => {
  const conformance = path.resolve(import.meta.dirname, '../../../shared/fixtures/cdevents/conformance');
  /** A conformance example on one line, for NDJSON. */
  const line = (name: string) =>
    JSON.stringify(JSON.parse(readFileSync(path.join(conformance, name), 'utf8')));

  it('names bad flags of deployment record by the flag, each once', async () => {
    const run = await pave([
      'deployment',
      'record',
      '--service',
      'checkout',
      '--env',
      'production',
      '--sha',
      'zz',
      '--started',
      'nope',
      ...DB,
    ]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toEqual([
      'error: --sha: "zz" is not a commit sha (7 to 64 hex digits)',
      'error: --started: "nope" is not an RFC 3339 timestamp with a time zone',
    ]);
    expect(existsSync(path.join(cwd, 'test.duckdb'))).toBe(false);
    const order = await pave([
      'deployment',
      'record',
      '--service',
      'checkout',
      '--env',
      'production',
      '--started',
      '2026-01-02T00:00:00Z',
      '--finished',
      '2026-01-01T00:00:00Z',
      ...DB,
    ]);
    expect(order.stderr).toBe('error: --started is after --finished\n');
    const recorded = await pave([
      'deployment',
      'record',
      '--service',
      'checkout',
      '--env',
      'production',
      ...DB,
    ]);
    expect(recorded.code).toBe(0);
    expect((await pave(['deployment', 'list', ...DB])).stderr).toBe('1 deployment\n');
  });

  it('prints the unused types only when there are some, and says what it stored in words', async () => {
    copyFileSync(path.join(conformance, 'service_deployed.json'), path.join(cwd, 'deployed.json'));
    copyFileSync(path.join(conformance, 'ticket_closed.json'), path.join(cwd, 'ticket.json'));
    const used = await pave(['ingest', 'cdevents', 'deployed.json', ...DB]);
    expect(used.code).toBe(0);
    expect(used.stdout).toBe('');
    expect(used.stderr).toMatch(
      /^CDEvents: 1 event read into .*: stored 1 deployment; 0 errors, 0 warnings\n$/,
    );
    const unused = await pave(['ingest', 'cdevents', 'ticket.json', 'deployed.json', ...DB]);
    expect(unused.code).toBe(0);
    expect(lines(unused.stdout)[0]!.split(/ {2,}/)).toEqual(['UNUSED TYPE', 'COUNT', 'REASON']);
    expect(unused.stderr).toMatch(
      /: 2 events read into .*: stored 1 event kept raw \(types Pave does not use\); 1 already stored; 0 errors, 0 warnings\n$/,
    );
  });

  it('locates NDJSON problems as file:line:col and exits 1 when some events were stored, 2 when none', async () => {
    writeFiles(cwd, {
      'mixed.ndjson': `${line('service_deployed.json')}\n{"context": nope}\n`,
      'bad.ndjson': '{"context": 1}\n{"context": nope}\n',
    });
    const mixed = await pave(['ingest', 'cdevents', 'mixed.ndjson', ...DB]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(
      /^mixed\.ndjson:2:13: error: invalid JSON: unexpected 'n': expected a JSON value$/m,
    );
    expect(mixed.stderr).toMatch(/stored 1 deployment; 1 error, 0 warnings$/m);
    const bad = await pave(['ingest', 'cdevents', 'bad.ndjson', ...DB]);
    expect(bad.code).toBe(2);
    expect(lines(bad.stderr).slice(0, 2)).toEqual([
      'bad.ndjson:1: error: /context: must be an object, not 1',
      "bad.ndjson:2:13: error: invalid JSON: unexpected 'n': expected a JSON value",
    ]);
    const atomic = await pave(['ingest', 'cdevents', 'mixed.ndjson', '--atomic', ...DB]);
    expect(atomic.code).toBe(2);
    const missing = await pave(['ingest', 'cdevents', 'mixed.ndjson', 'nope.json', ...DB]);
    expect(missing).toMatchObject({ code: 2, stdout: '', stderr: 'nope.json: error: no such file\n' });
  });

  it('checks the repository path before anything else, and counts commits and tags apart', async () => {
    const missing = await pave(['ingest', 'git', 'nope', ...DB]);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toBe('nope: error: no such folder\n');
    const repo = path.join(cwd, 'repo');
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=A', '-c', 'user.email=a@example.com', ...args]);
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    for (const n of [1, 2, 3]) {
      writeFiles(repo, { 'file.txt': `${n}\n` });
      git('add', '.');
      git('commit', '-q', '-m', `change ${n}`);
      if (n !== 2) git('tag', `v${n}`);
    }
    const run = await pave(['ingest', 'git', 'repo', '--service', 'checkout', '--deploy-tags', 'v*', ...DB]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^git history of repo: 5 commits and tags read into .*: stored 3 commits, 2 tags as production deployments; 0 errors, 0 warnings\n$/,
    );
  });

  it('reports a truncated JUnit report at its end, and refuses it whole with exit 2', async () => {
    writeFiles(cwd, { 't.xml': '<testsuites>\n  <testsuite name="s">\n    <testcase name="a"/>\n' });
    const run = await pave(['ingest', 'junit', 't.xml', ...DB]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)[0]).toBe(
      't.xml:4:1: error: invalid XML: the file ends before <testsuite>, <testsuites> are closed (truncated?)',
    );
    expect((await pave(['ingest', 'junit', '--help'])).stdout).toMatch(
      /--atomic +store nothing if any file is invalid/,
    );
  });
});

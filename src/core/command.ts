/**
 * The shape of a `pave <noun> <verb>` command. Domains declare their commands in `commands.ts`
 * with this type; `cli/` parses the arguments, opens the store, runs the command and renders its
 * result as a table, JSON or CSV. Commands never print by themselves (except `serve`'s log line).
 */
import type { Store } from '../store/Store.js';
import type { PaveConfig } from './config.js';
import type { Problem } from './errors.js';
import type { Progress } from './progress.js';

export type OutputFormat = 'table' | 'json' | 'csv';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** One line for `--help`; name the value in `valueName`. */
  description: string;
  valueName?: string;
  default?: string | boolean;
}

/** Rows to render as a table or CSV, with the columns in order. */
export interface Table {
  columns: readonly { key: string; header: string }[];
  rows: readonly Record<string, unknown>[];
}

/** What a command hands back to the CLI to render. */
export interface CommandResult {
  /** 0 ok, 1 findings or failures, 2 usage or input error. Default: 1 if `problems` has errors, else 0. */
  exitCode?: number;
  /** The stable JSON output (`--format json`). */
  data?: unknown;
  /** The table and CSV output. Without it, `table` format prints `text` or `data` as JSON. */
  table?: Table;
  /** Plain output printed as is, whatever the format (e.g. generated YAML). */
  text?: string;
  /** A human summary for the table format, printed after the table. */
  summary?: string;
  /** Problems, printed to stderr one per line as `file:line:col: severity: message`. */
  problems?: readonly Problem[];
}

/** Everything a command may use. The store is opened (and migrated) on first use only. */
export interface CommandContext {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  config: PaveConfig;
  format: OutputFormat;
  quiet: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
  /** For long-running commands' own log lines (`serve`); results go through `CommandResult`. */
  stderr: NodeJS.WritableStream;
  progress: Progress;
  openStore(): Promise<Store>;
  /** Resolves when the user interrupts (Ctrl-C, SIGTERM); long-running commands stop then. */
  interrupted: Promise<void>;
}

export interface CommandSpec {
  /** Words after `pave`: `catalog validate`, `serve`. */
  name: string;
  summary: string;
  /** Positional arguments as shown in help, e.g. `<path>...`. */
  usage?: string;
  options?: Record<string, OptionSpec>;
  /** Minimum and maximum positional arguments (default 0 and unlimited). */
  positionals?: { min?: number; max?: number };
  /** Formats the command supports; default all three. */
  formats?: readonly OutputFormat[];
  /**
   * What a command with a single output writes (`Prometheus rule YAML`), for the message refusing
   * another `--format`.
   */
  output?: string;
  run(context: CommandContext): Promise<CommandResult>;
}

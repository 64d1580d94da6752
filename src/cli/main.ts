/**
 * The `pave` program: every domain's commands plus `serve` and `demo`, wired to the process.
 */
import { constants } from 'node:os';
import type { CommandSpec } from '../core/command.js';
import { PAVE_VERSION } from '../core/version.js';
import { demoCommand } from '../demo/commands.js';
import { allMigrations, domains } from '../domains.js';
import { serveCommand } from '../server/commands.js';
import { type CliIO, runCli } from './runCli.js';

/** Every `pave` command. */
export function paveCommands(): CommandSpec[] {
  return [
    ...domains.flatMap((domain) => domain.commands),
    serveCommand(domains, PAVE_VERSION),
    demoCommand(domains, PAVE_VERSION),
  ];
}

/** Runs `pave` in-process: for the bin script and for tests. */
export function runPave(argv: readonly string[], io: CliIO): Promise<number> {
  const configSections = Object.assign({}, ...domains.map((domain) => domain.config ?? {}));
  return runCli(argv, io, { commands: paveCommands(), migrations: allMigrations(), configSections });
}

/** How long a command may take to wind down after SIGINT or SIGTERM before the process exits anyway. */
export const STOP_GRACE_MS = 3000;

/**
 * The real process: a signal asks long-running commands (`serve`) to stop cleanly; the exit code is
 * the command's. Commands that do not watch for it (an import, a list waiting on its database) are
 * ended after `STOP_GRACE_MS`, with 128 + the signal number; a second signal ends them at once.
 */
export async function main(): Promise<void> {
  const interrupted = new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      resolve();
      // unref: a command that finishes in time exits with its own code.
      setTimeout(() => process.exit(128 + (constants.signals[signal] ?? 0)), STOP_GRACE_MS).unref();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const code = await runPave(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    env: process.env,
    interrupted,
  });
  process.exitCode = code;
}

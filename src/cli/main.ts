/**
 * The `pave` program: every domain's commands plus `serve` and `demo`, wired to the process.
 */
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
  return runCli(argv, io, { commands: paveCommands(), migrations: allMigrations() });
}

/** The real process: signals end long-running commands; the exit code is the command's. */
export async function main(): Promise<void> {
  const interrupted = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
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

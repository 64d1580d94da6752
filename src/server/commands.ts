/**
 * `pave serve`: the HTTP API (and, for now, the plain catalog page) on the configured store.
 */
import { serve } from '@hono/node-server';
import type { CommandContext, CommandResult, CommandSpec } from '../core/command.js';
import type { Domain } from '../core/domain.js';
import { InputError } from '../core/errors.js';
import type { Store } from '../store/Store.js';
import { createApp } from './createApp.js';

/** Where `serve` listens: `--host`/`--port`, else the configuration. A bad port is an `InputError`. */
export function listenAddress(context: CommandContext): { host: string; port: number } {
  const host = typeof context.values.host === 'string' ? context.values.host : context.config.server.host;
  const port =
    typeof context.values.port === 'string' ? Number(context.values.port) : context.config.server.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InputError(`--port must be 0-65535, not ${context.values.port}`);
  return { host, port };
}

/** Serves the app until the user interrupts; resolves once the server has closed. */
export async function serveApp(
  context: CommandContext,
  store: Store,
  domains: readonly Domain[],
  version: string,
): Promise<CommandResult> {
  const { host, port } = listenAddress(context);
  const app = createApp({ store, config: context.config, domains, version });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(started));
    started.once('error', reject);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  context.stderr.write(`Pave ${version} serving http://${shownHost}:${actualPort} on ${store.description}\n`);
  await context.interrupted;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return {};
}

export const serveOptions = {
  host: {
    type: 'string',
    description: 'address to listen on (default 127.0.0.1; 0.0.0.0 for all)',
    valueName: 'addr',
  },
  port: { type: 'string', short: 'p', description: 'port to listen on (default 7700)', valueName: 'n' },
} as const;

/** `pave serve`, given the domains to mount. */
export function serveCommand(domains: readonly Domain[], version: string): CommandSpec {
  return {
    name: 'serve',
    summary: 'serve the HTTP API and portal',
    positionals: { max: 0 },
    formats: ['table'],
    options: serveOptions,
    async run(context) {
      listenAddress(context); // a bad --port fails before the store is opened and migrated
      return serveApp(context, await context.openStore(), domains, version);
    },
  };
}

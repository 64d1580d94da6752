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

/** DuckDB's memory limit while serving (buffer cache and query working memory). */
export const SERVE_DUCKDB_MEMORY_LIMIT = '128MB';
/** Allocation after which DuckDB hands freed memory back to the system while serving. */
const SERVE_DUCKDB_FLUSH_THRESHOLD = '1MB';

type Fetch = (request: Request) => Response | Promise<Response>;

/** What the server answers while it is not ready yet: 503, and `/healthz` alive. */
export function startingResponse(doing: string): Fetch {
  return (request) => {
    if (new URL(request.url).pathname === '/healthz') return Response.json({ status: 'ok' });
    return Response.json(
      {
        type: 'https://pave.dev/problems/starting',
        title: 'Pave is starting',
        status: 503,
        detail: `Pave is ${doing}; try again shortly.`,
      },
      { status: 503, headers: { 'content-type': 'application/problem+json', 'retry-after': '5' } },
    );
  };
}

/** A listening HTTP server whose handler can be swapped once the app is ready. */
export interface Listener {
  url: string;
  /** Serves `fetch` from now on. */
  use(fetch: Fetch): void;
  close(): Promise<void>;
}

/**
 * Listens on `--host`/`--port` at once, answering with `fetch`. A port in use or not allowed is an
 * `InputError` (exit 2) naming it, so `pave demo` learns of it before generating anything.
 */
export async function listen(context: CommandContext, fetch: Fetch): Promise<Listener> {
  const { host, port } = listenAddress(context);
  let current = fetch;
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: (request) => current(request), hostname: host, port }, () =>
      resolve(started),
    );
    started.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new InputError(
            `port ${port} on ${host} is already in use (another pave serve?); choose another with --port or PAVE_PORT`,
          ),
        );
      } else if (error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL') {
        reject(new InputError(`cannot listen on ${host}:${port}: ${error.message}`));
      } else reject(error);
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    url: `http://${shownHost}:${actualPort}`,
    use(fetch) {
      current = fetch;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Serves the app on `listener` (or a new one) until the user interrupts; resolves once the server
 * has closed.
 */
export async function serveApp(
  context: CommandContext,
  store: Store,
  domains: readonly Domain[],
  version: string,
  listener?: Listener,
): Promise<CommandResult> {
  if (store.engine === 'duckdb') {
    // DuckDB's default cache is 80% of the machine's memory; a server shares the machine. Queries
    // that need more spill to disk instead of growing the process. The Node build of DuckDB uses
    // glibc's malloc, which keeps what a query freed; a low flush threshold makes DuckDB trim it
    // after each task (measured on the demo under catalog and metric requests: peak RSS 370 -> 310
    // MB with one client, 510 -> 417 MB with four; same latency). A 64 MB limit fails queries.
    await store.execute(`SET memory_limit = '${SERVE_DUCKDB_MEMORY_LIMIT}'`);
    await store.execute(`SET allocator_flush_threshold = '${SERVE_DUCKDB_FLUSH_THRESHOLD}'`);
    await store.execute(
      `SET allocator_bulk_deallocation_flush_threshold = '${SERVE_DUCKDB_FLUSH_THRESHOLD}'`,
    );
    await store.execute('SET allocator_background_threads = true');
  }
  const app = createApp({ store, config: context.config, domains, version });
  const server = listener ?? (await listen(context, app.fetch));
  server.use(app.fetch);
  context.stderr.write(`Pave ${version} serving ${server.url} on ${store.description}\n`);
  await context.interrupted;
  await server.close();
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
      // Listen first: a bad or busy port fails before the store is opened and migrated.
      const listener = await listen(context, startingResponse('opening the database'));
      try {
        return await serveApp(context, await context.openStore(), domains, version, listener);
      } catch (error) {
        await listener.close();
        throw error;
      }
    },
  };
}

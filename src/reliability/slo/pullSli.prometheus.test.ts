/**
 * `pullSli` against a real Prometheus (Debian's `prometheus` package): a tiny TSDB backfilled from
 * OpenMetrics with `promtool tsdb create-blocks-from openmetrics`, served by `prometheus`, queried
 * with Sloth's own kind of queries (`rate(x[{{.window}}])`). Without the binaries the test is
 * skipped with a printed reason, except under CI=true, where that is a failure.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../../core/testing/tempFiles.js';
import type { Store } from '../../store/Store.js';
import { testStores } from '../../store/testing/testStores.js';
import { evaluateSlos } from './evaluateSlos.js';
import { pullSli } from './pullSli.js';
import { registerSlos } from './registerSlos.js';
import { importTestCatalog, openSloStore } from './testing/sloTestKit.js';

const START = Date.parse('2026-01-30T00:00:00Z') / 1000;
const HOURS = 3;

function found(binary: string): boolean {
  return spawnSync(binary, ['--version'], { encoding: 'utf8' }).status === 0;
}

const available = found('prometheus') && found('promtool');

it('has prometheus and promtool (required in CI)', () => {
  if (available) return;
  if (process.env.CI === 'true')
    expect.fail('prometheus/promtool are not installed: CI must install the Debian prometheus package');
  console.log(
    'real-Prometheus pull test skipped: prometheus or promtool is not on PATH (Debian package prometheus)',
  );
});

/**
 * Counters sampled every minute for three hours: 10 requests a second, 1% errors for two hours, then
 * 10% errors in the third.
 */
function openMetrics(): string {
  const lines = ['# HELP http_requests Requests.', '# TYPE http_requests counter'];
  let errors = 0;
  const errorSamples: string[] = [];
  const okSamples: string[] = [];
  for (let minute = 0; minute <= HOURS * 60; minute++) {
    const time = START + minute * 60;
    okSamples.push(`http_requests_total{code="200",job="checkout"} ${600 * minute - errors} ${time}`);
    errorSamples.push(`http_requests_total{code="500",job="checkout"} ${errors} ${time}`);
    errors += minute < 120 ? 6 : 60;
  }
  return `${[...lines, ...okSamples, ...errorSamples, '# EOF'].join('\n')}\n`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const SPEC = `version: "prometheus/v1"
service: "checkout"
slos:
  - name: "requests"
    objective: 99
    sli:
      events:
        error_query: sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total{job="checkout"}[{{.window}}]))
    alerting:
      page_alert: { disable: true }
      ticket_alert: { disable: true }
`;

describe.skipIf(!available)('pullSli from a real Prometheus', () => {
  let dir: string;
  let prometheus: ChildProcess | undefined;
  let url: string;

  beforeAll(async () => {
    dir = tempFolder({ 'input.om': openMetrics(), 'prometheus.yml': 'global:\n  scrape_interval: 1h\n' });
    const backfill = spawnSync(
      'promtool',
      ['tsdb', 'create-blocks-from', 'openmetrics', 'input.om', 'data'],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(backfill.status, backfill.stderr).toBe(0);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      'prometheus',
      [
        '--config.file=prometheus.yml',
        '--storage.tsdb.path=data',
        '--storage.tsdb.retention.time=100y',
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { cwd: dir, stdio: 'ignore' },
    );
    for (let attempt = 0; attempt < 100; attempt++) {
      const ready = await fetch(`${url}/-/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`prometheus did not become ready at ${url}`);
  }, 30_000);

  afterAll(() => {
    prometheus?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  for (const factory of testStores()) {
    it.skipIf(factory.unavailable !== undefined)(
      `pulls rates into SLI points and evaluates them on ${factory.engine}`,
      async () => {
        const store: Store = await openSloStore(factory);
        try {
          await importTestCatalog(store, ['checkout']);
          await registerSlos(store, [{ file: 'sloth.yaml', text: SPEC }], { source: 'cli' });
          const to = new Date((START + HOURS * 3600) * 1000);
          const [result] = await pullSli(store, { url, from: new Date(START * 1000), to, stepSeconds: 300 });
          expect(result).toMatchObject({ slo: 'checkout-requests', status: 'pulled', points: HOURS * 12 });
          const points = await store.query<{ good: number; total: number; end_at: Date }>(
            'SELECT good, total, end_at FROM slo_sli_points ORDER BY end_at',
          );
          // rate() of a counter rising 600 a minute, times the 300 s step: 3,000 requests a point.
          for (const point of points) expect(point.total).toBeCloseTo(3000, 6);
          expect(points[0]!.good).toBeCloseTo(2970, 6);
          expect(points[points.length - 1]!.good).toBeCloseTo(2700, 6);

          const [status] = await evaluateSlos(store, { at: to });
          // Two hours at 1% and one at 10%: 4% errors, a burn of 10 over the last hour.
          expect(status!.attainment).toBeCloseTo(96, 6);
          expect(status!.burnRates['1h']).toBeCloseTo(10, 6);
          expect(status!.errorBudgetRemaining).toBeCloseTo(-300, 6);
        } finally {
          await store.close();
        }
      },
    );
  }
});

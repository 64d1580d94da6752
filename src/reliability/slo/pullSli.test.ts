import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../store/Store.js';
import { testStores } from '../../store/testing/testStores.js';
import { evaluateSlos } from './evaluateSlos.js';
import { MAX_POINTS_PER_QUERY, queryRange } from './prometheusClient.js';
import { pullSli } from './pullSli.js';
import { registerSlos } from './registerSlos.js';
import { type FakePrometheus, startFakePrometheus } from './testing/fakePrometheus.js';
import { importTestCatalog, openSloSpec, openSloStore } from './testing/sloTestKit.js';

const T0 = Date.parse('2026-01-30T00:00:00Z') / 1000;

const SLOTH_SPEC = `version: "prometheus/v1"
service: "checkout"
slos:
  - name: "requests"
    objective: 99
    sli:
      events:
        error_query: sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{.window}}]))
        total_query: sum by (code) (rate(http_requests_total{job="checkout"}[{{.window}}]))
    alerting:
      page_alert: { disable: true }
      ticket_alert: { disable: true }
  - name: "ratio"
    objective: 99
    sli:
      raw:
        error_ratio_query: sum(rate(errors_total[{{.window}}])) / sum(rate(requests_total[{{.window}}]))
    alerting:
      page_alert: { disable: true }
      ticket_alert: { disable: true }
  - name: "broken"
    objective: 99
    sli:
      raw:
        error_ratio_query: sum(rate(broken_total[{{.window}}]))
    alerting:
      page_alert: { disable: true }
      ticket_alert: { disable: true }
`;

const THRESHOLD_SPEC = `apiVersion: openslo/v1
kind: SLO
metadata: { name: checkout-latency }
spec:
  service: checkout
  indicator:
    metadata: { name: latency }
    spec:
      thresholdMetric:
        metricSource:
          type: Prometheus
          spec:
            query: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="checkout"}[5m])))
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - op: lt
      value: 0.5
      target: 0.99
`;

/** The fake's data: 10 requests a second, 1% errors; the latency is 0.3 s but 0.8 s in one step in four. */
function answer(query: string) {
  if (query.includes('broken_total'))
    return { status: 400, errorType: 'bad_data', error: '1:5: parse error: unexpected character' };
  if (query.includes('code=~"5.."')) return [{ metric: {}, value: () => 0.1 }];
  if (query.startsWith('sum by (code)')) {
    return [
      { metric: { code: '200' }, value: () => 9.9 },
      { metric: { code: '500' }, value: () => 0.1 },
    ];
  }
  if (query.includes('errors_total')) {
    // No traffic in the step ending at T0 + 600: 0/0.
    return [{ metric: {}, value: (t: number) => (t === T0 + 600 ? Number.NaN : 0.02) }];
  }
  if (query.startsWith('histogram_quantile')) {
    return [{ metric: {}, value: (t: number) => ((t / 300) % 4 === 0 ? 0.8 : 0.3) }];
  }
  return [];
}

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(
    `pullSli from a fake Prometheus on ${factory.engine}`,
    () => {
      let store: Store;
      let prometheus: FakePrometheus;
      beforeEach(async () => {
        store = await openSloStore(factory);
        await importTestCatalog(store, ['checkout']);
        prometheus = await startFakePrometheus(answer);
        const datadog = openSloSpec({ name: 'checkout-datadog' }).replaceAll(
          'type: Prometheus',
          'type: Datadog',
        );
        await registerSlos(
          store,
          [
            { file: 'sloth.yaml', text: SLOTH_SPEC },
            { file: 'threshold.yaml', text: THRESHOLD_SPEC },
            { file: 'datadog.yaml', text: datadog },
          ],
          { source: 'cli' },
        );
      });
      afterEach(async () => {
        await prometheus.close();
        await store.close();
      });

      it('turns range queries into SLI points, one per step', async () => {
        const results = await pullSli(store, {
          url: prometheus.url,
          from: new Date(T0 * 1000),
          to: new Date((T0 + 3600 + 30) * 1000),
          stepSeconds: 300,
        });
        const byId = Object.fromEntries(results.map((result) => [result.slo, result]));
        expect(byId['checkout-requests']).toMatchObject({
          status: 'pulled',
          from: '2026-01-30T00:00:00.000Z',
          to: '2026-01-30T01:00:00.000Z',
          points: 12,
          write: { added: 12 },
        });
        // The window placeholder became the step, evaluation times are multiples of the step.
        const events = prometheus.requests.filter((r) => r.query.includes('http_requests_total'));
        expect(events.map((r) => r.query)).toEqual([
          'sum by (code) (rate(http_requests_total{job="checkout"}[5m]))',
          'sum(rate(http_requests_total{job="checkout",code=~"5.."}[5m]))',
        ]);
        expect(events[0]).toMatchObject({ start: T0 + 300, end: T0 + 3600, step: 300 });

        const points = await store.query<{
          slo_id: string;
          start_at: Date;
          end_at: Date;
          good: number;
          total: number;
        }>(
          `SELECT s.slo_id, p.start_at, p.end_at, p.good, p.total FROM slo_sli_points p JOIN slo_specs s ON s.slo_key = p.slo_key
         ORDER BY s.slo_id, p.start_at`,
        );
        const requests = points.filter((p) => p.slo_id === 'checkout-requests');
        // Two series summed: 10 requests a second × 300 s; 0.1 errors a second × 300 s.
        expect(requests[0]).toMatchObject({
          start_at: new Date(T0 * 1000),
          end_at: new Date((T0 + 300) * 1000),
        });
        expect(requests[0]!.total).toBeCloseTo(3000, 9);
        expect(requests[0]!.good).toBeCloseTo(2970, 9);

        const ratio = points.filter((p) => p.slo_id === 'checkout-ratio');
        expect(byId['checkout-ratio']).toMatchObject({ status: 'pulled', points: 11 });
        expect(ratio.every((p) => p.total === 1 && Math.abs(p.good - 0.98) < 1e-12)).toBe(true);
        expect(ratio.some((p) => p.end_at.getTime() === (T0 + 600) * 1000)).toBe(false);

        const latency = points.filter((p) => p.slo_id === 'checkout-latency');
        expect(latency.map((p) => p.good)).toEqual([1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0]);

        expect(byId['checkout-datadog']).toMatchObject({
          status: 'skipped',
          reason: "the good query's source is Datadog, not Prometheus: push its data instead (pave slo push)",
        });
        expect(byId['checkout-broken']).toMatchObject({ status: 'failed' });
        expect(byId['checkout-broken']!.reason).toMatch(/HTTP 400, bad_data\): 1:5: parse error/);

        const status = (await evaluateSlos(store, { at: new Date((T0 + 3600) * 1000) })).find(
          (s) => s.slo === 'checkout-requests',
        )!;
        expect(status.attainment).toBeCloseTo(99, 6);
        expect(status.burnRates['1h']).toBeCloseTo(1, 6);
      });

      it('pulls again idempotently, incrementally, and at another step by replacing its range', async () => {
        const window = {
          url: prometheus.url,
          ids: ['checkout-requests'],
          from: new Date(T0 * 1000),
          to: new Date((T0 + 3600) * 1000),
        };
        await pullSli(store, { ...window, stepSeconds: 300 });
        const again = await pullSli(store, { ...window, stepSeconds: 300 });
        expect(again[0]!.write).toMatchObject({ replaced: 0, added: 0, unchanged: 12 });
        // Without --from: from the end of the last pull.
        const next = await pullSli(store, {
          url: prometheus.url,
          ids: ['checkout-requests'],
          to: new Date((T0 + 7200) * 1000),
          stepSeconds: 300,
        });
        expect(next[0]).toMatchObject({ from: '2026-01-30T01:00:00.000Z', points: 12 });
        const finer = await pullSli(store, { ...window, stepSeconds: 60 });
        expect(finer[0]!.write).toMatchObject({ replaced: 12, added: 60 });
        const [count] = await store.query<{ n: number }>('SELECT count(*) AS n FROM slo_sli_points');
        expect(count!.n).toBe(72);
      });

      it('splits long ranges under the 11,000-point limit', async () => {
        const start = T0;
        const end = T0 + 2 * 86_400;
        const series = await queryRange(prometheus.url, {
          query: 'sum(rate(http_requests_total{job="checkout",code=~"5.."}[10s]))',
          start,
          end,
          stepSeconds: 10,
        });
        expect(prometheus.requests).toHaveLength(2);
        expect(prometheus.requests[0]).toMatchObject({ start, end: start + (MAX_POINTS_PER_QUERY - 1) * 10 });
        expect(series).toHaveLength(1);
        expect(series[0]!.values).toHaveLength(2 * 8640 + 1);
      });

      it('reports an unreachable server per SLO', async () => {
        await prometheus.close();
        const results = await pullSli(store, {
          url: prometheus.url,
          ids: ['checkout-requests'],
          from: new Date(T0 * 1000),
          to: new Date((T0 + 600) * 1000),
        });
        expect(results[0]).toMatchObject({ status: 'failed' });
        expect(results[0]!.reason).toMatch(
          /^cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query_range/,
        );
        prometheus = await startFakePrometheus(answer);
      });
    },
  );
}

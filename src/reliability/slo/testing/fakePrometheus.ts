/**
 * A fake Prometheus HTTP API for tests: answers `POST /api/v1/query_range` (and GET) from a
 * function of the query and the evaluation time, and records every request.
 */
import { createServer, type Server } from 'node:http';

/** A series' labels and its value at an evaluation time (undefined: no sample). */
export type FakeSeries = { metric: Record<string, string>; value: (time: number) => number | undefined };

export interface FakePrometheus {
  url: string;
  requests: { query: string; start: number; end: number; step: number }[];
  close(): Promise<void>;
}

/** Starts the fake on a free port; `answer` gives the series of a query, or an error to return. */
export async function startFakePrometheus(
  answer: (query: string) => FakeSeries[] | { status: number; errorType: string; error: string },
): Promise<FakePrometheus> {
  const requests: FakePrometheus['requests'] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const params = request.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
      const send = (status: number, value: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(value));
      };
      if (url.pathname !== '/api/v1/query_range') return send(404, { status: 'error', error: 'not found' });
      const query = params.get('query') ?? '';
      const start = Number(params.get('start'));
      const end = Number(params.get('end'));
      const step = Number(params.get('step'));
      requests.push({ query, start, end, step });
      if ((end - start) / step + 1 > 11_000) {
        return send(400, {
          status: 'error',
          errorType: 'bad_data',
          error:
            'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
        });
      }
      const result = answer(query);
      if (!Array.isArray(result))
        return send(result.status, { status: 'error', errorType: result.errorType, error: result.error });
      send(200, {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: result.map((series) => {
            const values: [number, string][] = [];
            for (let time = start; time <= end; time += step) {
              const value = series.value(time);
              if (value !== undefined) values.push([time, Number.isNaN(value) ? 'NaN' : String(value)]);
            }
            return { metric: series.metric, values };
          }),
        },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

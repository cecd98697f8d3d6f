// Prometheus metrics for serve: requests, latency, Article 6 verdicts and errors by code.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Verdict } from '../platform/verdict.js';
import type { ServicePool } from './pool.js';

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'aigc_http_requests_total',
    help: 'HTTP requests answered, by route, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'aigc_http_request_duration_seconds',
    help: 'Time from request to response, by route.',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly verdicts = new Counter({
    name: 'aigc_verdicts_total',
    help: 'Article 6 verdicts given (label "none" when nothing was found), by basis.',
    labelNames: ['label', 'basis'] as const,
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'aigc_errors_total',
    help: 'Requests answered with an error, by error code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  constructor(pool: ServicePool) {
    collectDefaultMetrics({ register: this.registry, prefix: 'aigc_' });
    const poolGauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    poolGauge('aigc_pool_queued', 'Tasks waiting for a pool thread.', () => pool.stats.queued);
    poolGauge('aigc_pool_admitted', 'Requests holding a place in the pool (running or queued).', () => pool.stats.admitted);
  }

  request(route: string, method: string, status: number, seconds: number): void {
    this.requests.inc({ route, method, status: String(status) });
    this.latency.observe({ route }, seconds);
  }

  verdict(verdict: Verdict): void {
    this.verdicts.inc({ label: verdict.label ?? 'none', basis: verdict.basis });
  }

  error(code: string): void {
    this.errors.inc({ code });
  }
}

import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { migrationsAreCurrent, ping } from '../db/database.ts';
import type { JobQueue } from '../jobs/queue.ts';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: { registry: Registry; businessEvents: Counter<'event' | 'service'> };
  }
}

interface OperationsDeps {
  readonly config: { readonly metricsToken: string | undefined };
  readonly db: Kysely<any>;
  readonly jobs: JobQueue;
  readonly migrations: Record<string, Migration>;
}

/** /health (process alive), /ready (database reachable, migrations current), /metrics (Prometheus). */
export async function registerOperations(app: FastifyInstance, deps: OperationsDeps): Promise<void> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'amtsweg_http_request_duration_seconds',
    help: 'HTTP request duration by route and status class',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const businessEvents = new Counter({ name: 'amtsweg_business_events_total', help: 'Submissions and transitions', labelNames: ['event', 'service'], registers: [registry] });
  new Gauge({
    name: 'amtsweg_jobs',
    help: 'Background jobs by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await deps.jobs.counts().catch(() => ({}) as Record<string, number>);
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  app.decorate('metrics', { registry, businessEvents });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    duration.observe({ method: req.method, route, status: `${Math.floor(reply.statusCode / 100)}xx` }, reply.elapsedTime / 1000);
  });

  app.get('/health', { logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/ready', { logLevel: 'warn' }, async (_req, reply) => {
    const checks: Record<string, string> = {};
    try {
      await ping(deps.db);
      checks.database = 'ok';
      checks.migrations = (await migrationsAreCurrent(deps.db, deps.migrations)) ? 'ok' : 'pending';
    } catch {
      checks.database = 'unreachable';
    }
    const ready = Object.values(checks).every((v) => v === 'ok') && checks.migrations !== undefined;
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });
  const expected = deps.config.metricsToken ? Buffer.from(`Bearer ${deps.config.metricsToken}`) : undefined;
  app.get('/metrics', { logLevel: 'warn' }, async (req, reply) => {
    if (expected) {
      const given = Buffer.from(String(req.headers.authorization ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return reply.status(401).header('www-authenticate', 'Bearer').send({ status: 401, detail: 'Metrics need the bearer token (METRICS_TOKEN).' });
      }
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

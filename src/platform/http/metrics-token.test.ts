import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testApp } from '../../test-support/runtime.ts';

let ctx: Awaited<ReturnType<typeof testApp>>;
const token = 'metrics-token-for-the-test-0123456789';
before(async () => {
  ctx = await testApp({ config: { metricsToken: token } });
});
after(async () => ctx?.close());

test('with METRICS_TOKEN set, /metrics needs the bearer token; health and readiness stay open for probes', async () => {
  const anonymous = await ctx.app.inject({ url: '/metrics' });
  assert.equal(anonymous.statusCode, 401);
  assert.equal(anonymous.headers['www-authenticate'], 'Bearer');
  assert.doesNotMatch(anonymous.body, /amtsweg_/);
  const wrong = await ctx.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token.replace(/0/g, '1')}` } });
  assert.equal(wrong.statusCode, 401);
  const right = await ctx.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
  assert.equal(right.statusCode, 200);
  assert.match(right.body, /amtsweg_http_request_duration_seconds/);
  assert.equal((await ctx.app.inject({ url: '/health' })).statusCode, 200);
  assert.equal((await ctx.app.inject({ url: '/ready' })).statusCode, 200);
});

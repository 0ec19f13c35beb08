import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './runtime.ts';
import { testRuntime, validAssembly } from './test-support/runtime.ts';

test('logs at debug level carry no personal data of a submission or a status lookup', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = createLogger(loadConfig({ AMTSWEG_PROFILE: 'test', LOG_LEVEL: 'debug' }), sink);
  const rt = await testRuntime({ log });
  const app = await buildApp(rt);
  try {
    const data = validAssembly(rt.now(), { organiserName: 'Zacharias Persönlich', email: 'zacharias.persoenlich@example.org', leaderPhone: '0345 987654' });
    const submitted = await app.inject({ method: 'POST', url: '/api/v1/services/versammlungsanzeige/submissions', headers: { 'idempotency-key': 'log-test-0001', 'x-forwarded-for': '203.0.113.7' }, payload: { data } });
    assert.equal(submitted.statusCode, 201);
    const { reference, accessCode } = submitted.json();
    const status = await app.inject({ method: 'POST', url: '/api/v1/status', payload: { reference, accessCode } });
    assert.equal(status.statusCode, 200);
    await rt.jobs.work();
    await new Promise((r) => setTimeout(r, 1500));

    const output = lines.join('');
    assert.ok(output.includes('request completed'), 'requests are logged');
    for (const secret of ['Zacharias', 'zacharias.persoenlich', '0345 987654', accessCode, 'log-test-0001', '127.0.0.1']) {
      assert.ok(!output.includes(secret), `"${secret}" must not appear in the logs`);
    }
  } finally {
    await app.close();
    await rt.close();
  }
});

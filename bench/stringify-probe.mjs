/**
 * Times `JSON.stringify` of a realistic form body (~1 KB) inside a process, for bench/process.ts.
 *
 * Two ways to run it, both with an IPC channel to bench/process.ts:
 *  - inside the server: `node --import ./bench/stringify-probe.mjs dist/main.js`. The module is
 *    loaded before the app; it polls the app's own `/ready` (http://127.0.0.1:$PORT/ready) and,
 *    once that answers 200 (every module of the app loaded, migrations done, listening), sends
 *    `{ probe: 'ready' }`. It adds no route and no code to the product.
 *  - bare: `node bench/stringify-probe.mjs` with BENCH_PROBE_BARE=1: ready at once.
 * Then each `{ round: iterations }` message runs one timed round and answers
 * `{ probe: 'round', nsPerOp }`. The parent interleaves the rounds of both processes. The ready
 * message also says whether the app replaced the global JSON.stringify (pdfjs-dist's legacy build
 * installs core-js's polyfill where Node lacks JSON.rawJSON: Node 20, not Node 24).
 *
 * Only node: built-ins, so the probe itself adds next to nothing to the server's memory.
 */
import http from 'node:http';

/** JSON.stringify as Node made it, before the app loaded (a polyfill may replace it later). */
const NATIVE_STRINGIFY = JSON.stringify;

/** A Versammlungsanzeige as the portal receives it: the same object in both processes. */
const FORM_BODY = {
  serviceId: 'versammlungsanzeige',
  idempotencyKey: '6f1c2a8e-3b7d-4f0e-9a51-2d8c7e4b9f13',
  locale: 'de',
  data: {
    organiserName: 'Erika Mustermann',
    organiserOrganisation: 'Bürgerinitiative Saaleufer e. V.',
    organiserStreet: 'Marktplatz 1',
    organiserPostcode: '06108',
    organiserCity: 'Halle (Saale)',
    organiserEmail: 'erika.mustermann@example.org',
    organiserPhone: '+49 345 1234567',
    leaderName: 'Max Mustermann',
    leaderPhone: '+49 345 7654321',
    topic: 'Für saubere Ufer und sichere Radwege entlang der Saale',
    kind: 'aufzug',
    date: '2027-05-14',
    startTime: '14:00',
    endTime: '17:30',
    assemblyPoint: 'Hallmarkt, Nordseite vor dem Brunnen',
    route: 'Hallmarkt – Große Ulrichstraße – Universitätsring – Joliot-Curie-Platz – Hansering – Marktplatz',
    finalRally: 'Marktplatz, vor dem Roten Turm',
    expectedParticipants: 350,
    stewards: 12,
    vehicles: [{ kind: 'Lautsprecherwagen', plate: 'HAL-AB 123' }],
    means: ['Transparente', 'Lautsprecher', 'Fahnen', 'Flugblätter'],
    consentPrivacy: true,
    consentTruth: true,
    notes: 'Ein Infostand (3 × 2 m) am Marktplatz während der Abschlusskundgebung; Ordner mit Warnwesten.',
  },
};

const state = { sink: 0 };

function round(iterations) {
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += JSON.stringify(FORM_BODY).length;
  const elapsed = Number(process.hrtime.bigint() - started);
  state.sink += sink; // kept, so the loop cannot be optimised away
  return elapsed / iterations;
}

function readyOnce(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/ready', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => req.destroy());
  });
}

async function waitForApp() {
  const port = Number(process.env.PORT);
  for (;;) {
    if (await readyOnce(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

if (typeof process.send === 'function') {
  process.on('message', (m) => {
    if (m && typeof m === 'object' && typeof m.round === 'number') process.send({ probe: 'round', nsPerOp: round(m.round), bytes: JSON.stringify(FORM_BODY).length });
    if (m && typeof m === 'object' && m.exit === true && process.env.BENCH_PROBE_BARE === '1') process.exit(0);
  });
  const bare = process.env.BENCH_PROBE_BARE === '1';
  const whenReady = bare ? Promise.resolve() : waitForApp();
  void whenReady.then(() => process.send({ probe: 'ready', bytes: JSON.stringify(FORM_BODY).length, replaced: JSON.stringify !== NATIVE_STRINGIFY }));
  // The channel must not keep a stopping server alive: the server decides when it exits.
  if (!bare) process.channel?.unref();
}

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, PGLITE_POSTGRES_MAJOR } from './database.ts';

test('the embedded PGlite runs the PostgreSQL major the data directory check expects', async () => {
  const handle = await openDatabase({ dataDir: 'memory://' });
  try {
    const { rows } = await sql<{ server_version_num: string }>`show server_version_num`.execute(handle.db);
    assert.equal(String(Math.floor(Number(rows[0]!.server_version_num) / 10000)), PGLITE_POSTGRES_MAJOR);
  } finally {
    await handle.close();
  }
});

test('a new data directory is created and opened again with its data', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'amtsweg-pglite-'));
  try {
    const first = await openDatabase({ dataDir });
    await sql`create table kept (v text)`.execute(first.db);
    await sql`insert into kept values ('still here')`.execute(first.db);
    await first.close();
    const second = await openDatabase({ dataDir });
    try {
      const { rows } = await sql<{ v: string }>`select v from kept`.execute(second.db);
      assert.deepEqual(rows, [{ v: 'still here' }]);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

// PGlite 0.3 wrote PostgreSQL 17 directories (PG_VERSION "17"); opening a real one with 0.6 was
// tried by hand and fails with only "PGlite failed to initialize properly" (ADR 0027).
test('a data directory of an older PostgreSQL major is refused with what to do, and left as it was', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'amtsweg-pglite-'));
  try {
    const location = path.join(dataDir, 'pglite');
    mkdirSync(location);
    writeFileSync(path.join(location, 'PG_VERSION'), '17\n');
    await assert.rejects(openDatabase({ dataDir }), (err: Error) => {
      assert.match(err.message, /written by PostgreSQL 17 \(PGlite 0\.3/);
      assert.match(err.message, new RegExp(`PostgreSQL ${PGLITE_POSTGRES_MAJOR}, which cannot open it`));
      assert.ok(err.message.includes(`mv ${location} ${location}-pg17`), 'says how to move it aside');
      assert.match(err.message, /docs\/adr\/0027-dependency-majors-on-node-24\.md/);
      return true;
    });
    assert.deepEqual(readdirSync(location), ['PG_VERSION'], 'PGlite never touched the directory');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

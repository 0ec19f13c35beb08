import strict from 'node:assert/strict';

/**
 * `node:assert/strict` for the browser journeys, except that `ok` requires a message and the bare
 * `assert(value)` form is not offered (tsc rejects both).
 *
 * Why: when `assert.ok(value)` fails without a message, Node builds one from the source code. It
 * opens the calling file at the V8 position of the call and runs acorn at each token in front of
 * it until an expression parses. Under tsx that position belongs to the transpiled code, not to
 * the .ts file on disk, so acorn grinds through TypeScript it cannot parse, synchronously, for
 * minutes per failing call. While it does, the event loop stands still: no test timeout, no
 * `after` hook and no SIGINT/SIGTERM handler can run, and Chromium stays alive. A message skips
 * all of that.
 */
type NodeStrictAssert = typeof strict;

export interface JourneyAssert extends Omit<NodeStrictAssert, 'ok'> {
  ok(value: unknown, message: string | Error): asserts value;
}

export const assert: JourneyAssert = strict;

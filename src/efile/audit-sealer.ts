import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../schema.ts';
import { sealAuditLog } from './audit-chain.ts';

/**
 * Runs in worker processes: seals pending audit entries into the hash chain about once a second.
 * Several workers may run it; the chain head's row lock lets one seal at a time.
 */
export class AuditSealer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: Logger,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sealNow().finally(() => {
        this.running = undefined;
      });
    }, this.intervalMs);
    this.timer.unref();
  }

  async sealNow(): Promise<void> {
    try {
      let n: number;
      do n = await sealAuditLog(this.db);
      while (n > 0);
    } catch (err) {
      this.log.error({ err: { message: (err as Error).message } }, 'sealing the audit log failed; retrying in a second');
    }
  }

  /** Stops the timer and seals what is left, so a clean shutdown leaves nothing pending. */
  async stop(): Promise<void> {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.sealNow();
  }
}

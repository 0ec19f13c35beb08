import type { Agent } from 'node:https';
import type { VapidKeys } from './vapid.ts';

/**
 * Sends one encrypted Web Push message (RFC 8030/8291, `aes128gcm`) signed with the server's
 * VAPID key (RFC 8292). The payload is encrypted for the browser's key pair, so the push service
 * (Google, Mozilla, Apple) sees only its size. The endpoint is a capability URL: it never appears
 * in an error message or a log line.
 */
export interface PushTarget {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
}

/** What the push service said: delivered, or this subscription is gone for good (404/410). */
export type PushOutcome = 'sent' | 'gone';

export class PushFailedError extends Error {
  constructor(readonly statusCode: number | undefined) {
    super(statusCode === undefined ? 'push service not reachable' : `push service answered ${statusCode}`);
    this.name = 'PushFailedError';
  }
}

/** web-push and its dependencies, loaded at the first message (ADR 0026). */
let webPushModule: Promise<typeof import('web-push')> | undefined;

export class WebPushSender {
  constructor(
    readonly vapid: VapidKeys,
    private readonly options: {
      /** An https agent for the request, e.g. one that trusts a test server's certificate. */
      readonly agent?: Agent;
      /** How long the push service is held by the message (seconds); a day by default. */
      readonly ttlSeconds?: number;
      readonly timeoutMs?: number;
    } = {},
  ) {}

  get publicKey(): string {
    return this.vapid.publicKey;
  }

  /** Delivers `payload`; 'gone' for an expired subscription; throws PushFailedError for anything to retry. */
  async send(target: PushTarget, payload: string): Promise<PushOutcome> {
    webPushModule ??= import('web-push').then((m) => m.default);
    const webPush = await webPushModule;
    try {
      await webPush.sendNotification({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, payload, {
        vapidDetails: { subject: this.vapid.subject, publicKey: this.vapid.publicKey, privateKey: this.vapid.privateKey },
        contentEncoding: 'aes128gcm',
        TTL: this.options.ttlSeconds ?? 24 * 3600,
        urgency: 'normal',
        timeout: this.options.timeoutMs ?? 10_000,
        ...(this.options.agent ? { agent: this.options.agent } : {}),
      });
      return 'sent';
    } catch (err) {
      const status = (err as { statusCode?: unknown }).statusCode;
      if (status === 404 || status === 410) return 'gone';
      // A new error without the endpoint (web-push's WebPushError carries it).
      throw new PushFailedError(typeof status === 'number' ? status : undefined);
    }
  }
}

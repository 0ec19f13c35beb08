import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Database } from '../../schema.ts';

/**
 * Outgoing mail through an outbox table: the job records the mail under a dedupe key first, then
 * sends it over SMTP and marks it sent. A retried job finds the mark and sends nothing twice.
 * Without SMTP_URL (development only, config refuses it in production) mails stay in the outbox,
 * listed at /dev/mail.
 */
export interface OutgoingMail {
  readonly dedupeKey: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /**
   * The mail carries a secret (a sign-in link): once handed to SMTP, the outbox keeps only a
   * placeholder. Without SMTP (development) the outbox is the delivery and keeps the text.
   */
  readonly redactAfterSending?: boolean;
  /** The case the mail is about: erasing the case (retention) blanks the address of its mails. */
  readonly caseId?: string;
  /** Files sent along (an appointment's iCal file). The outbox keeps only the text, not the files. */
  readonly attachments?: ReadonlyArray<{ readonly filename: string; readonly contentType: string; readonly content: string | Buffer }>;
}

export class Mailer {
  /** nodemailer is loaded with the first mail that goes out (ADR 0026): web replicas only enqueue. */
  private transport: Promise<Transporter> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly smtpUrl: string | undefined,
    private readonly from: string,
  ) {}

  get transportName(): string {
    return this.smtpUrl ? 'smtp' : 'outbox';
  }

  private smtp(smtpUrl: string): Promise<Transporter> {
    this.transport ??= import('nodemailer').then((m) => m.default.createTransport(smtpUrl));
    return this.transport;
  }

  /** Idempotent: the same dedupe key is delivered at most once. */
  async send(mail: OutgoingMail): Promise<'sent' | 'already_sent'> {
    await this.db
      .insertInto('mail_outbox')
      .values({ dedupe_key: mail.dedupeKey, to_address: mail.to, subject: mail.subject, text_body: mail.text, html_body: mail.html, case_id: mail.caseId ?? null })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
    const row = await this.db.selectFrom('mail_outbox').select(['id', 'sent_at']).where('dedupe_key', '=', mail.dedupeKey).executeTakeFirstOrThrow();
    if (row.sent_at) return 'already_sent';
    if (this.smtpUrl) {
      await (await this.smtp(this.smtpUrl)).sendMail({
        from: this.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        ...(mail.attachments ? { attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) } : {}),
      });
    }
    const redacted = this.smtpUrl && mail.redactAfterSending ? { text_body: '[redacted after sending]', html_body: '' } : {};
    await this.db.updateTable('mail_outbox').set({ sent_at: new Date(), transport: this.transportName, ...redacted }).where('id', '=', row.id).execute();
    return 'sent';
  }

  close(): void {
    void this.transport?.then((t) => t.close(), () => undefined);
  }
}

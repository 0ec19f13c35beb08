import type { Text } from '../catalogue/service-definition.ts';
import type { NotificationTopic } from './notify.ts';

/**
 * The words of a notification, per topic, German first and English below. They name only the
 * service, the reference and (for a status change) the new state's public label, and link to the
 * status page, which asks for the access code or the account before it shows anything. No name,
 * no address, no form data, no message text: a mail can be read by whoever shares the inbox, and
 * a push by whoever sees the lock screen.
 */
export interface NotificationContext {
  readonly topic: NotificationTopic;
  readonly serviceTitle: Text;
  readonly reference: string;
  /** The new state's public label (topic `status`). */
  readonly stateLabel?: Text | undefined;
  /** `${publicUrl}/status/${caseId}`. */
  readonly statusUrl: string;
  /** Where an account holder chooses channels; absent for applicants without an account. */
  readonly settingsUrl?: string | undefined;
}

export interface NotificationMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** What the browser shows (public/sw.js): title, body, and the page a click opens. */
export interface PushPayload {
  readonly title: string;
  readonly body: string;
  readonly url: string;
}

interface Words {
  readonly subject: string;
  readonly lines: { readonly de: readonly string[]; readonly en: readonly string[] };
  readonly push: { readonly title: string; readonly body: string };
}

function words(c: NotificationContext): Words {
  const { reference: ref, serviceTitle: t } = c;
  switch (c.topic) {
    case 'status': {
      const label = c.stateLabel ?? { de: 'aktualisiert', en: 'updated' };
      return {
        // The browser journey (e2e) waits for this subject.
        subject: `Neuer Stand / Status update ${ref}: ${label.de}`,
        lines: {
          de: [`der Stand Ihres Anliegens „${t.de}“ (${ref}) hat sich geändert: ${label.de}.`, 'Einzelheiten sehen Sie auf der Statusseite.'],
          en: [`The status of your “${t.en}” matter (${ref}) has changed: ${label.en}.`, 'See the details on the status page.'],
        },
        push: { title: 'Neuer Stand / Status update', body: `${ref}: ${label.de} / ${label.en}` },
      };
    }
    case 'message':
      return {
        subject: `Neue Nachricht / New message ${ref}`,
        lines: {
          de: [`Sie haben eine neue Nachricht im Postfach zu Ihrem Anliegen ${ref} („${t.de}“).`, 'Die Nachricht lesen Sie im Postfach auf der Statusseite. Aus Datenschutzgründen steht sie nicht in dieser E-Mail.'],
          en: [`You have a new message in the mailbox for your matter ${ref} (“${t.en}”).`, 'Read it in the mailbox on the status page. For your privacy it is not in this email.'],
        },
        push: { title: 'Neue Nachricht / New message', body: `${ref}: Neue Nachricht im Postfach / New message in your mailbox` },
      };
    case 'request':
      return {
        subject: `Bitte um Angaben / Information requested ${ref}`,
        lines: {
          de: [`Das Amt bittet Sie um weitere Angaben oder Unterlagen zu Ihrem Anliegen „${t.de}“ (${ref}).`, 'Was fehlt und bis wann, sehen Sie auf der Statusseite. Dort können Sie es auch gleich ergänzen.'],
          en: [`The office asks you for more information or documents for your “${t.en}” matter (${ref}).`, 'The status page shows what is missing and by when. You can add it there too.'],
        },
        push: { title: 'Angaben fehlen / Information needed', body: `${ref}: Das Amt bittet um weitere Angaben / The office needs more information` },
      };
    case 'reminder':
      return {
        subject: `Erinnerung / Reminder ${ref}`,
        lines: {
          de: [`Zur Erinnerung: Zu Ihrem Anliegen „${t.de}“ (${ref}) ist noch etwas offen.`, 'Was zu tun ist und bis wann, sehen Sie auf der Statusseite.'],
          en: [`A reminder: something is still open for your “${t.en}” matter (${ref}).`, 'The status page shows what to do and by when.'],
        },
        push: { title: 'Erinnerung / Reminder', body: `${ref}: Es ist noch etwas offen / Something is still open` },
      };
    case 'appointment':
      return {
        subject: `Ihr Termin / Your appointment ${ref}`,
        lines: {
          de: [`Zu Ihrem Termin für das Anliegen „${t.de}“ (${ref}) gibt es Neuigkeiten.`, 'Einzelheiten sehen Sie auf der Statusseite.'],
          en: [`There is news about your appointment for the “${t.en}” matter (${ref}).`, 'See the details on the status page.'],
        },
        push: { title: 'Ihr Termin / Your appointment', body: `${ref}: Neuigkeiten zu Ihrem Termin / News about your appointment` },
      };
    case 'payment':
      return {
        subject: `Gebühr / Fee ${ref}`,
        lines: {
          de: [`Zur Gebühr für Ihr Anliegen „${t.de}“ (${ref}) gibt es Neuigkeiten.`, 'Einzelheiten sehen Sie auf der Statusseite.'],
          en: [`There is news about the fee for your “${t.en}” matter (${ref}).`, 'See the details on the status page.'],
        },
        push: { title: 'Gebühr / Fee', body: `${ref}: Neuigkeiten zur Gebühr / News about the fee` },
      };
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function notificationMail(c: NotificationContext): NotificationMail {
  const w = words(c);
  const proofDe = 'Die Statusseite fragt nach Ihrem Zugangscode oder Ihrer Anmeldung, bevor sie etwas zeigt.';
  const proofEn = 'The status page asks for your access code or your sign-in before it shows anything.';
  const settingsDe = c.settingsUrl ? `Welche Benachrichtigungen Sie bekommen, stellen Sie in Ihrem Konto ein: ${c.settingsUrl}` : 'Sie bekommen diese E-Mail, weil Sie die Adresse in Ihrem Antrag angegeben haben.';
  const settingsEn = c.settingsUrl ? `Choose which notifications you get in your account: ${c.settingsUrl}` : 'You get this email because you gave this address in your application.';
  const text = [
    'Guten Tag,',
    '',
    ...w.lines.de,
    '',
    `Statusseite: ${c.statusUrl}`,
    proofDe,
    '',
    settingsDe,
    '',
    '— English —',
    '',
    'Hello,',
    '',
    ...w.lines.en,
    '',
    `Status page: ${c.statusUrl}`,
    proofEn,
    '',
    settingsEn,
    '',
  ].join('\n');
  const p = (s: string) => `<p>${escapeHtml(s)}</p>`;
  const link = (label: string) => `<p><a href="${escapeHtml(c.statusUrl)}">${escapeHtml(label)}</a><br>${escapeHtml(c.statusUrl)}</p>`;
  const settings = (lead: string, fallback: string) => (c.settingsUrl ? `<p>${escapeHtml(lead)} <a href="${escapeHtml(c.settingsUrl)}">${escapeHtml(c.settingsUrl)}</a></p>` : p(fallback));
  const html = [
    `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${escapeHtml(w.subject)}</title></head><body>`,
    '<div lang="de">',
    p('Guten Tag,'),
    ...w.lines.de.map(p),
    link('Zur Statusseite'),
    p(proofDe),
    settings('Welche Benachrichtigungen Sie bekommen, stellen Sie in Ihrem Konto ein:', settingsDe),
    '</div><hr><div lang="en">',
    p('Hello,'),
    ...w.lines.en.map(p),
    link('To the status page'),
    p(proofEn),
    settings('Choose which notifications you get in your account:', settingsEn),
    '</div></body></html>',
  ].join('');
  return { subject: w.subject, text, html };
}

export function notificationPush(c: NotificationContext): PushPayload {
  const w = words(c);
  return { title: w.push.title, body: w.push.body, url: c.statusUrl };
}

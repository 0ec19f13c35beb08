import type { DocumentContext, DocumentParagraph, DocumentTemplate, FormData } from '../catalogue/service-definition.ts';
import { formatDateTime, formatIsoDate } from '../platform/i18n/time.ts';
import { ACTIVITY_CATEGORIES } from './permit-rules.ts';
import { ACCEPT, ACCEPT_AUTOMATICALLY } from './trade-process.ts';
import { BRANCH_TYPES, LEGAL_FORMS, REGISTER_TYPES } from './trade-fields.ts';
import { formatAddress, tradeNoticeFromForm, type NoticeKind, type TradeNotice } from './trade-notice.ts';

/**
 * The sealed receipt of a trade notice: "Empfangsbestätigung nach § 15 Abs. 1 GewO" (wording
 * unverified, DOMAIN.md), issued when the notice is accepted, automatically or by a clerk. German
 * only: the official language (§ 23 VwVfG).
 */
const TITLES: Record<NoticeKind, string> = {
  anmeldung: 'Empfangsbestätigung nach § 15 Abs. 1 GewO – Gewerbeanmeldung',
  ummeldung: 'Empfangsbestätigung nach § 15 Abs. 1 GewO – Gewerbeummeldung',
  abmeldung: 'Empfangsbestätigung nach § 15 Abs. 1 GewO – Gewerbeabmeldung',
};
const TITLES_EN: Record<NoticeKind, string> = {
  anmeldung: 'Receipt under § 15(1) GewO – trade registration',
  ummeldung: 'Receipt under § 15(1) GewO – change of trade registration',
  abmeldung: 'Receipt under § 15(1) GewO – trade deregistration',
};
const WHEN_LABEL: Record<NoticeKind, string> = { anmeldung: 'Beginn der Tätigkeit', ummeldung: 'Änderung zum', abmeldung: 'Aufgabe zum' };

const label = <T extends { value: string; label: { de: string } }>(list: readonly T[], value: string | undefined) => list.find((x) => x.value === value)?.label.de ?? value ?? '';

function noticeRows(n: TradeNotice): { label: DocumentParagraph; value: string }[] {
  const p = n.persons[0];
  const rows: { label: DocumentParagraph; value: string }[] = [];
  if (n.register) {
    rows.push({ label: { de: 'Eingetragener Name', en: 'Registered name' }, value: n.register.name });
    rows.push({ label: { de: 'Registereintrag', en: 'Register entry' }, value: `${label(REGISTER_TYPES, n.register.type)} ${n.register.number}, ${n.register.court}` });
  }
  if (n.businessName) rows.push({ label: { de: 'Geschäftsbezeichnung', en: 'Trading name' }, value: n.businessName });
  rows.push({ label: { de: 'Rechtsform', en: 'Legal form' }, value: label(LEGAL_FORMS, n.legalForm) });
  if (p) {
    rows.push({ label: { de: 'Gewerbetreibende Person / Vertretung', en: 'Person' }, value: `${p.givenName} ${p.familyName}${p.birthDate ? `, geboren am ${formatIsoDate(p.birthDate, 'de')}` : ''}` });
    rows.push({ label: { de: 'Wohnanschrift', en: 'Home address' }, value: formatAddress(p.address) });
  }
  rows.push({ label: { de: 'Betriebsstätte', en: 'Business premises' }, value: `${formatAddress(n.businessAddress)} (${label(BRANCH_TYPES, n.branchType)})` });
  if (n.change?.previousAddress) rows.push({ label: { de: 'Bisherige Betriebsstätte', en: 'Previous premises' }, value: formatAddress(n.change.previousAddress) });
  rows.push({ label: { de: 'Tätigkeit', en: 'Activity' }, value: n.activity.description });
  const category = ACTIVITY_CATEGORIES.find((c) => c.id === n.activity.category);
  if (category) rows.push({ label: { de: 'Bereich', en: 'Field' }, value: category.label.de });
  if (n.activity.wzKey) rows.push({ label: { de: 'Wirtschaftszweig (WZ 2008)', en: 'WZ 2008 key' }, value: n.activity.wzKey });
  if (n.change?.previousActivity) rows.push({ label: { de: 'Bisherige Tätigkeit', en: 'Previous activity' }, value: n.change.previousActivity.description });
  rows.push({ label: { de: WHEN_LABEL[n.kind], en: 'Effective' }, value: formatIsoDate(n.effectiveDate, 'de') });
  return rows;
}

const sealNote: DocumentParagraph = {
  de: 'Diese Bestätigung wurde elektronisch erstellt und mit dem Dienstsiegel der Stadt versehen. Sie ist ohne Unterschrift gültig. Ihre Echtheit können Sie mit dem QR-Code prüfen.',
  en: 'This receipt was created electronically and carries the city’s official seal. It is valid without a signature. You can check that it is genuine with the QR code.',
};

function receipt(kind: NoticeKind, d: FormData, ctx: DocumentContext, automatic: boolean) {
  const n = tradeNoticeFromForm(kind, d);
  const what = kind === 'anmeldung' ? 'die Anmeldung' : kind === 'ummeldung' ? 'die Ummeldung' : 'die Abmeldung';
  return {
    paragraphs: [
      { de: 'Sehr geehrte Damen und Herren,' },
      {
        de: `${ctx.city.de} bestätigt den Empfang Ihrer Gewerbeanzeige nach § 14 der Gewerbeordnung (GewO), eingegangen am ${formatDateTime(ctx.submittedAt, 'de', ctx.timeZone)} Uhr. Angezeigt wurde ${what} mit folgenden Angaben:`,
      },
    ],
    rows: noticeRows(n),
    closing: [
      ...(automatic ? [{ de: 'Die angezeigte Tätigkeit ist nach den Angaben erlaubnisfrei; der Eingang wurde deshalb sofort bestätigt.' }] : []),
      ...(ctx.input.note ? [{ de: 'Hinweis des Gewerbeamts', heading: true }, { de: ctx.input.note }] : []),
      {
        de: 'Diese Bestätigung ist keine Erlaubnis. Vorschriften, nach denen die Tätigkeit eine Erlaubnis, eine Eintragung oder einen Nachweis braucht, bleiben unberührt.',
      },
      {
        de: 'Das Gewerbeamt übermittelt die Anzeige nach § 14 GewO an die zuständigen Stellen, unter anderem an das Finanzamt, die Industrie- und Handelskammer oder die Handwerkskammer und das Statistische Landesamt.',
      },
      sealNote,
    ],
  };
}

/** One template per accepting transition; both issue the same receipt. */
export function tradeReceiptTemplates(kind: NoticeKind): DocumentTemplate[] {
  const title = { de: TITLES[kind], en: TITLES_EN[kind] };
  return [
    { id: 'empfangsbestaetigung-automatisch', kind: 'receipt', issuedOn: ACCEPT_AUTOMATICALLY, title, content: (d, ctx) => receipt(kind, d, ctx, true) },
    { id: 'empfangsbestaetigung', kind: 'receipt', issuedOn: ACCEPT, title, content: (d, ctx) => receipt(kind, d, ctx, false) },
  ];
}

import { formatIban, isValidIban } from '../platform/iban.ts';
import type { FieldError, FormData, FormPage, RuleContext, Text } from '../catalogue/service-definition.ts';
import { zonedYear } from '../platform/i18n/time.ts';

/**
 * What the tax office's registration questionnaire (Fragebogen zur steuerlichen Erfassung, filed
 * through ELSTER) needs from a sole founder, asked once in the Unternehmensgründung journey.
 * The trade pages already hold name, birth data, address, legal form, activity, start date and
 * staff; these pages add only what the tax office asks besides. Thresholds are *(unverified)*
 * readings of § 19 UStG as amended for 2025 and belong to the definition, not the engine.
 */
const str = (d: FormData, id: string): string => {
  const v = d[id];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
};
const yesNo = [
  { value: 'yes', label: { de: 'Ja', en: 'Yes' } },
  { value: 'no', label: { de: 'Nein', en: 'No' } },
] as const;

/** § 19(1) UStG (2025, unverified): small-business rule only while the first year's turnover stays at or below this. */
export const SMALL_BUSINESS_FIRST_YEAR_LIMIT_EUR = 25_000;

/**
 * The Steuer-Identifikationsnummer (§ 139b AO): 11 digits, the first not 0, check digit by
 * ISO/IEC 7064 MOD 11,10 over the first ten. (The rule that one digit repeats is not checked.)
 */
export function isValidTaxId(value: string): boolean {
  const digits = value.replace(/\s/g, '');
  if (!/^[1-9]\d{10}$/.test(digits)) return false;
  let product = 10;
  for (let i = 0; i < 10; i++) {
    let sum = (Number(digits[i]) + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  const check = (11 - product) % 10;
  return check === Number(digits[10]);
}

export { formatIban, isValidIban };

const euros = (id: string, label: Text, hint?: Text) => ({ id, type: 'integer' as const, label, ...(hint ? { hint } : {}), required: true, min: 0, max: 1_000_000_000 });

export function validateTaxPage(d: FormData): FieldError[] {
  const errors: FieldError[] = [];
  const taxId = str(d, 'taxId');
  if (taxId && !isValidTaxId(taxId))
    errors.push({
      field: 'taxId',
      message: {
        de: 'Die Steuer-Identifikationsnummer hat 11 Ziffern und eine Prüfziffer, die hier nicht passt. Sie steht auf Ihrem Einkommensteuerbescheid oder Ihrer Lohnsteuerbescheinigung.',
        en: 'The tax identification number has 11 digits and a check digit that does not match here. You find it on your income tax assessment or your payslip certificate.',
      },
    });
  const iban = str(d, 'iban');
  if (iban && !isValidIban(iban))
    errors.push({
      field: 'iban',
      message: { de: 'Diese IBAN ist nicht gültig: Bitte prüfen Sie sie Zeichen für Zeichen (deutsche IBAN: DE und 20 Ziffern).', en: 'This IBAN is not valid: please check it character by character (German IBAN: DE and 20 digits).' },
    });
  const firstYear = Number(str(d, 'turnoverFirstYear'));
  if (str(d, 'smallBusiness') === 'yes' && Number.isFinite(firstYear) && firstYear > SMALL_BUSINESS_FIRST_YEAR_LIMIT_EUR)
    errors.push({
      field: 'smallBusiness',
      message: {
        de: `Die Kleinunternehmerregelung gilt im Gründungsjahr nur bis ${SMALL_BUSINESS_FIRST_YEAR_LIMIT_EUR.toLocaleString('de-DE')} Euro Umsatz. Wählen Sie „Nein“ oder prüfen Sie den erwarteten Umsatz.`,
        en: `The small-business rule applies in the founding year only up to a turnover of EUR ${SMALL_BUSINESS_FIRST_YEAR_LIMIT_EUR.toLocaleString('en-GB')}. Choose “No” or check the expected turnover.`,
      },
    });
  const profit = Number(str(d, 'profitFirstYear'));
  if (Number.isFinite(firstYear) && Number.isFinite(profit) && str(d, 'profitFirstYear') !== '' && profit > firstYear)
    errors.push({ field: 'profitFirstYear', message: { de: 'Der Gewinn kann nicht höher sein als der Umsatz.', en: 'The profit cannot be higher than the turnover.' } });
  return errors;
}

export function taxPage(): FormPage {
  return {
    id: 'steuer',
    title: { de: 'Angaben für das Finanzamt', en: 'Details for the tax office' },
    intro: {
      de: 'Daraus machen wir Ihre Angaben für den „Fragebogen zur steuerlichen Erfassung“, den Sie über ELSTER an das Finanzamt senden. Schätzungen genügen.',
      en: 'From this we prepare your answers for the tax office\'s registration questionnaire, which you send through ELSTER. Estimates are fine.',
    },
    fields: [
      {
        id: 'taxId',
        type: 'text',
        label: { de: 'Steuer-Identifikationsnummer', en: 'Tax identification number' },
        hint: { de: '11 Ziffern, zum Beispiel auf Ihrem Einkommensteuerbescheid.', en: '11 digits, for example on your income tax assessment.' },
        required: true,
        maxLength: 14,
      },
      euros('turnoverFirstYear', { de: 'Erwarteter Umsatz im Gründungsjahr (Euro)', en: 'Expected turnover in the founding year (euros)' }),
      euros('turnoverNextYear', { de: 'Erwarteter Umsatz im Folgejahr (Euro)', en: 'Expected turnover in the following year (euros)' }),
      euros('profitFirstYear', { de: 'Erwarteter Gewinn im Gründungsjahr (Euro)', en: 'Expected profit in the founding year (euros)' }, { de: 'Umsatz minus Kosten; danach richten sich die Vorauszahlungen.', en: 'Turnover minus costs; the advance tax payments follow from it.' }),
      {
        id: 'smallBusiness',
        type: 'radio',
        label: { de: 'Kleinunternehmerregelung nach § 19 UStG nutzen?', en: 'Use the small-business VAT rule (§ 19 UStG)?' },
        hint: {
          de: `Dann weisen Sie keine Umsatzsteuer aus. Nur bis ${SMALL_BUSINESS_FIRST_YEAR_LIMIT_EUR.toLocaleString('de-DE')} Euro Umsatz im Gründungsjahr.`,
          en: `You then charge no VAT. Only up to EUR ${SMALL_BUSINESS_FIRST_YEAR_LIMIT_EUR.toLocaleString('en-GB')} turnover in the founding year.`,
        },
        required: true,
        choices: yesNo,
      },
      { id: 'vatIdWanted', type: 'radio', label: { de: 'Brauchen Sie eine Umsatzsteuer-Identifikationsnummer (Handel mit dem EU-Ausland)?', en: 'Do you need a VAT identification number (trade with other EU countries)?' }, required: true, choices: yesNo },
      {
        id: 'profitMethod',
        type: 'radio',
        label: { de: 'Wie ermitteln Sie den Gewinn?', en: 'How do you work out the profit?' },
        required: true,
        choices: [
          { value: 'euer', label: { de: 'Einnahmen-Überschuss-Rechnung', en: 'Cash-basis accounts (EÜR)' } },
          { value: 'bilanz', label: { de: 'Bilanz (Pflicht für eingetragene Kaufleute und Gesellschaften)', en: 'Balance sheet (required for registered merchants and companies)' } },
        ],
      },
      { id: 'iban', type: 'text', label: { de: 'IBAN des Geschäftskontos', en: 'IBAN of the business account' }, hint: { de: 'Für Erstattungen des Finanzamts.', en: 'For refunds from the tax office.' }, required: true, maxLength: 42 },
      { id: 'accountHolder', type: 'text', label: { de: 'Kontoinhaberin oder Kontoinhaber', en: 'Account holder' }, required: true, maxLength: 200 },
    ],
    validate: validateTaxPage,
  };
}

/** Whether, why and how the business goes into the commercial register. */
export interface RegisterAdvice {
  readonly needed: 'yes' | 'no' | 'already' | 'optional';
  readonly how: Text;
}

export function registerAdvice(d: FormData): RegisterAdvice {
  const form = str(d, 'legalForm');
  if (str(d, 'registered') === 'yes')
    return { needed: 'already', how: { de: 'Ihr Betrieb ist schon eingetragen; die Eintragung steht in Ihrer Anmeldung.', en: 'Your business is already registered; the entry is part of your notice.' } };
  if (['gmbh', 'ug', 'ag'].includes(form))
    return {
      needed: 'yes',
      how: {
        de: 'Kapitalgesellschaften entstehen erst mit der Eintragung ins Handelsregister (Abteilung B). Gesellschaftsvertrag und Anmeldung beurkundet eine Notarin oder ein Notar – für GmbH und UG auch online per Videoverfahren; sie oder er reicht beides beim Amtsgericht (Registergericht) ein.',
        en: 'Limited companies come into being only when entered in the commercial register (part B). A notary records the articles and the application, for a GmbH or UG also online by video, and files both with the local court (registry court).',
      },
    };
  if (['ohg', 'kg', 'ek'].includes(form) || str(d, 'merchantScale') === 'yes')
    return {
      needed: 'yes',
      how: {
        de: 'Als Kaufmann (Handelsgewerbe mit kaufmännisch eingerichtetem Geschäftsbetrieb) bzw. als OHG/KG müssen Sie ins Handelsregister (Abteilung A). Die Anmeldung beglaubigt eine Notarin oder ein Notar und reicht sie elektronisch beim Registergericht ein.',
        en: 'As a merchant (a business that needs commercial bookkeeping) or as an OHG/KG you must be entered in the commercial register (part A). A notary certifies the application and files it electronically with the registry court.',
      },
    };
  if (form === 'gbr')
    return {
      needed: 'optional',
      how: {
        de: 'Eine GbR kann sich seit 2024 ins Gesellschaftsregister eintragen lassen (eGbR), über eine Notarin oder einen Notar; nötig ist das zum Beispiel, um Grundstücke zu erwerben.',
        en: 'Since 2024 a GbR may be entered in the register of partnerships (eGbR) through a notary; it is needed, for example, to acquire land.',
      },
    };
  return {
    needed: 'no',
    how: {
      de: 'Als Kleingewerbe ohne kaufmännisch eingerichteten Geschäftsbetrieb brauchen Sie keine Eintragung. Wächst Ihr Betrieb, melden Sie ihn über eine Notarin oder einen Notar an.',
      en: 'A small business without commercial bookkeeping needs no entry. If your business grows, register it through a notary.',
    },
  };
}

export function registerPage(): FormPage {
  return {
    id: 'register',
    title: { de: 'Handelsregister', en: 'Commercial register' },
    intro: {
      de: 'Ob Ihr Unternehmen ins Handelsregister muss, hängt von Rechtsform und Umfang ab. Wir sagen Ihnen nach dem Absenden, was zu tun ist.',
      en: 'Whether your business must be entered in the commercial register depends on its legal form and size. After sending we tell you what to do.',
    },
    fields: [
      {
        id: 'merchantScale',
        type: 'radio',
        label: { de: 'Braucht Ihr Betrieb nach Art und Umfang eine kaufmännische Buchführung?', en: 'Does your business need commercial bookkeeping because of its kind and size?' },
        hint: {
          de: 'Zum Beispiel viele Geschäftsvorfälle, mehrere Beschäftigte, hoher Umsatz oder Kredite. Dann sind Sie Kaufmann nach § 1 HGB.',
          en: 'For example many transactions, several employees, high turnover or loans. You are then a merchant under § 1 HGB.',
        },
        required: true,
        choices: yesNo,
        when: (d) => str(d, 'legalForm') === 'einzelunternehmen' && str(d, 'registered') !== 'yes',
      },
      {
        id: 'notaryPlanned',
        type: 'radio',
        label: { de: 'Haben Sie schon einen Notartermin?', en: 'Do you already have an appointment with a notary?' },
        required: true,
        choices: yesNo,
        when: (d) => ['gmbh', 'ug', 'ag', 'ohg', 'kg', 'ek'].includes(str(d, 'legalForm')) && str(d, 'registered') !== 'yes',
      },
      {
        id: 'registerNote',
        type: 'textarea',
        label: { de: 'Anmerkungen (freiwillig)', en: 'Remarks (optional)' },
        maxLength: 1000,
      },
    ],
  };
}

/** The year the business starts (for the questionnaire's "Eröffnungsjahr"). */
export function foundingYear(d: FormData, ctx: RuleContext): number {
  const start = str(d, 'startDate');
  return /^\d{4}-/.test(start) ? Number(start.slice(0, 4)) : zonedYear(ctx.now, ctx.timeZone);
}

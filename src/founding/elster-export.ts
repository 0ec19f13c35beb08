import { XMLBuilder } from 'fast-xml-parser';
import type { FormData, RuleContext } from '../catalogue/service-definition.ts';
import { formatIban, foundingYear, registerAdvice } from './tax-questionnaire.ts';

/**
 * The founder's answers for the tax office's registration questionnaire (Fragebogen zur
 * steuerlichen Erfassung), as an XML file to download from the status page.
 *
 * ELSTER takes the questionnaire only through its own portal or software built on ERiC; there is
 * no public import format to target. This file is therefore Amtsweg's own, documented structure
 * (namespace `urn:amtsweg:export:fragebogen-steuerliche-erfassung:1`), ordered and named like the
 * questionnaire's sections for a sole trader, so the founder (or a tax adviser's software) can
 * transfer each answer. Values are as entered; money in whole euros.
 */
export const ELSTER_EXPORT_NAMESPACE = 'urn:amtsweg:export:fragebogen-steuerliche-erfassung:1';

const str = (d: FormData, id: string): string => {
  const v = d[id];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
};

export interface ElsterExportMeta {
  /** The case's reference (the trade notice's Aktenzeichen at the trade office). */
  readonly reference: string;
  readonly createdAt: Date;
  readonly municipalityKey: string;
}

export function elsterExport(d: FormData, meta: ElsterExportMeta, ctx: RuleContext): string {
  const year = foundingYear(d, ctx);
  const employees = Number(str(d, 'fullTimeStaff') || 0) + Number(str(d, 'partTimeStaff') || 0);
  const register = registerAdvice(d);
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    FragebogenSteuerlicheErfassung: {
      '@_xmlns': ELSTER_EXPORT_NAMESPACE,
      '@_erstellt': meta.createdAt.toISOString(),
      '@_aktenzeichenGewerbeamt': meta.reference,
      Hinweis:
        'Angaben aus der Gewerbeanmeldung bei der Stadt. Bitte im ELSTER-Formular „Fragebogen zur steuerlichen Erfassung – Gewerbliche, selbständige (freiberufliche) oder land- und forstwirtschaftliche Tätigkeit“ übernehmen und dort absenden.',
      AllgemeineAngaben: {
        Name: str(d, 'familyName'),
        Vorname: str(d, 'givenName'),
        Geburtsdatum: str(d, 'birthDate'),
        Identifikationsnummer: str(d, 'taxId').replace(/\s/g, ''),
        Wohnanschrift: { Strasse: str(d, 'street'), Postleitzahl: str(d, 'postcode'), Ort: str(d, 'town') },
        EMail: str(d, 'email'),
      },
      AngabenZumUnternehmen: {
        Bezeichnung: str(d, 'businessName'),
        Rechtsform: str(d, 'legalForm'),
        Taetigkeit: str(d, 'activityDescription'),
        WirtschaftszweigSchluessel: str(d, 'wzKey'),
        Betriebsstaette: { Strasse: str(d, 'businessStreet'), Postleitzahl: str(d, 'businessPostcode'), Ort: str(d, 'businessTown'), Gemeindeschluessel: meta.municipalityKey },
        Beginn: str(d, 'startDate'),
        Nebenerwerb: str(d, 'sideBusiness') === 'yes',
        Handelsregister: { Eintragung: register.needed, Registerart: str(d, 'registerType'), Registernummer: str(d, 'registerNumber'), Registergericht: str(d, 'registerCourt') },
      },
      Bankverbindung: { IBAN: formatIban(str(d, 'iban')), Kontoinhaber: str(d, 'accountHolder') },
      Einkuenfte: {
        Gewinnermittlung: str(d, 'profitMethod') === 'bilanz' ? 'Bilanz' : 'Einnahmen-Überschuss-Rechnung',
        GewinnEroeffnungsjahr: { '@_jahr': String(year), '#text': str(d, 'profitFirstYear') },
      },
      Umsatzsteuer: {
        UmsatzEroeffnungsjahr: { '@_jahr': String(year), '#text': str(d, 'turnoverFirstYear') },
        UmsatzFolgejahr: { '@_jahr': String(year + 1), '#text': str(d, 'turnoverNextYear') },
        Kleinunternehmerregelung: str(d, 'smallBusiness') === 'yes',
        UStIdNrBeantragen: str(d, 'vatIdWanted') === 'yes',
      },
      Lohnsteuer: { ArbeitnehmerBeschaeftigt: employees > 0, Anzahl: employees },
    },
  };
  return new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true, processEntities: true }).build(doc);
}

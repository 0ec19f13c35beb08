import type { FormData, ServiceDefinition } from '../../catalogue/service-definition.ts';
import { landlordCodeErrors } from '../../landlord/landlord-confirmations.ts';
import { formatIsoDate } from '../../platform/i18n/time.ts';
import { wohnsitzanmeldungDocuments } from './documents.ts';
import { companionCountPage, companionsPage, countOf, emailField, identityFields } from './people.ts';
import { isLateRegistration, lateRegistrationNotice, validateMoveIn } from './rules.ts';

/**
 * Wohnsitzanmeldung (BMG § 17, online registration after § 23a, the eWA model; DOMAIN.md).
 * Identity level high: the person's data comes from the online ID card. The landlord's
 * confirmation (§ 19) is either the code of an online Wohnungsgeberbestätigung (src/landlord/),
 * checked against the store when its page is sent, or the signed paper confirmation uploaded.
 *
 * XMeld: the data is kept so that a message 1704 (online move-in) could be produced without
 * asking again — the person's names, birth date and place, nationality (from the eID); the new
 * address in parts (street, house number, addition, postcode, town: `anschrift.inland`); the
 * move-in date (`einzugsdatum`); main or secondary residence (`wohnungsstatus`) and whether the
 * previous home is kept; the previous address (`anschrift.bisherige`); everyone moving along as
 * separate records (names, birth date, relation); the landlord confirmation by code (its content
 * is in the case file and in `landlord_confirmations`) or as a document. XMeld itself is not
 * built (the register is not reachable here).
 */
const str = (d: FormData, k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
const byCode = (d: FormData) => d.landlordProof === 'code';
const onPaper = (d: FormData) => d.landlordProof === 'paper';

export const wohnsitzanmeldung: ServiceDefinition = {
  id: 'wohnsitzanmeldung',
  version: 1,
  leikaKey: '99115001001000', // (unverified) DOMAIN.md marks the key unverified; a city can correct it
  title: { de: 'Wohnsitz anmelden (Umzug)', en: 'Register your new address (moving house)' },
  summary: {
    de: 'Melden Sie Ihre neue Wohnung online an – innerhalb von zwei Wochen nach dem Einzug, mit dem Online-Ausweis und der Wohnungsgeberbestätigung. Sie erhalten eine gesiegelte Meldebestätigung. Kostenlos.',
    en: 'Register your new home online within two weeks of moving in, with your online ID card and the landlord confirmation. You receive a sealed registration confirmation. Free of charge.',
  },
  topic: 'wohnen',
  keywords: ['umziehen', 'umzug', 'umgezogen', 'anmelden', 'anmeldung', 'wohnsitz', 'wohnung', 'neue adresse', 'adresse ändern', 'ummelden', 'zuzug', 'einzug', 'meldebestätigung', 'moving', 'move', 'register address', 'new address'],
  identityLevel: 'high',
  feeCents: 0, // (unverified) registering one's residence is free of charge
  receivingDepartment: 'buergerservice',
  retention: 'P5Y', // (unverified) the case file; the register itself keeps its own data
  applicantEmailField: 'email',
  applicantNameField: 'familyName',
  caseSummary: (d, lang) => {
    const people = 1 + countOf(d);
    const proof = d.landlordProof === 'code' ? (lang === 'de' ? 'Bestätigung online' : 'confirmed online') : lang === 'de' ? 'Bestätigung auf Papier' : 'paper confirmation';
    return `${lang === 'de' ? 'Einzug' : 'Move-in'} ${formatIsoDate(str(d, 'moveInDate'), lang)}, ${people} ${lang === 'de' ? (people === 1 ? 'Person' : 'Personen') : people === 1 ? 'person' : 'people'}, ${proof}`;
  },
  pages: [
    {
      id: 'person',
      title: { de: 'Ihre Daten', en: 'About you' },
      intro: {
        de: 'Ihre Daten stammen aus Ihrem Online-Ausweis. Die Anschrift ist die, unter der Sie bisher gemeldet sind.',
        en: 'Your details come from your online ID card. The address is where you have been registered until now.',
      },
      fields: [...identityFields({ address: 'previous' }), emailField],
    },
    {
      id: 'wohnung',
      title: { de: 'Ihre neue Wohnung', en: 'Your new home' },
      fields: [
        { id: 'street', type: 'text', label: { de: 'Straße', en: 'Street' }, required: true, maxLength: 150, autocomplete: 'address-line1' },
        { id: 'houseNumber', type: 'text', label: { de: 'Hausnummer', en: 'House number' }, required: true, maxLength: 10 },
        {
          id: 'addressDetail',
          type: 'text',
          label: { de: 'Adresszusatz (freiwillig)', en: 'Address addition (optional)' },
          hint: { de: 'Zum Beispiel Stockwerk oder Wohnungsnummer: 2. OG links', en: 'For example storey or flat number: 2nd floor left' },
          maxLength: 100,
        },
        { id: 'postcode', type: 'postcode', label: { de: 'Postleitzahl', en: 'Postcode' }, required: true, maxLength: 5, autocomplete: 'postal-code' },
        { id: 'town', type: 'text', label: { de: 'Ort', en: 'Town' }, required: true, maxLength: 100, autocomplete: 'address-level2' },
        { id: 'moveInDate', type: 'date', label: { de: 'Einzugsdatum', en: 'Move-in date' }, hint: { de: 'Der Tag, an dem Sie eingezogen sind, zum Beispiel 01.12.2026', en: 'The day you moved in, for example 01.12.2026' }, required: true },
        {
          id: 'delayReason',
          type: 'textarea',
          label: { de: 'Grund der Verspätung (freiwillig)', en: 'Reason for the delay (optional)' },
          maxLength: 1000,
          when: isLateRegistration,
        },
        {
          id: 'residenceType',
          type: 'radio',
          label: { de: 'Ist die neue Wohnung Ihre Hauptwohnung?', en: 'Is the new home your main residence?' },
          hint: { de: 'Die Hauptwohnung ist die Wohnung, die Sie vorwiegend benutzen.', en: 'Your main residence is the home you mainly use.' },
          required: true,
          choices: [
            { value: 'main', label: { de: 'Ja, Hauptwohnung', en: 'Yes, main residence' } },
            { value: 'secondary', label: { de: 'Nein, Nebenwohnung', en: 'No, secondary residence' } },
          ],
        },
        {
          id: 'keepsPrevious',
          type: 'radio',
          label: { de: 'Behalten Sie Ihre bisherige Wohnung?', en: 'Do you keep your previous home?' },
          required: true,
          choices: [
            { value: 'no', label: { de: 'Nein, ich gebe sie auf', en: 'No, I give it up' } },
            { value: 'yes', label: { de: 'Ja, ich behalte sie', en: 'Yes, I keep it' } },
          ],
        },
      ],
      notices: (d, ctx) => (isLateRegistration(d, ctx) ? [lateRegistrationNotice(d)] : []),
      validate: validateMoveIn,
    },
    companionCountPage({ de: 'zieht', en: 'moves' }),
    companionsPage(),
    {
      id: 'wohnungsgeber',
      title: { de: 'Bestätigung des Wohnungsgebers', en: "Your landlord's confirmation" },
      intro: {
        de: 'Ihr Wohnungsgeber (zum Beispiel Vermieterin, Vermieter oder Hausverwaltung) muss Ihren Einzug bestätigen (§ 19 Bundesmeldegesetz). Ein Mietvertrag reicht nicht. Wohnen Sie im eigenen Eigentum, bestätigen Sie selbst. Online geht das in diesem Portal unter der Adresse /wohnungsgeber: Dort bestätigt Ihr Wohnungsgeber und erhält einen Code für Sie, oder Sie bitten ihn per E-Mail darum.',
        en: 'Your landlord (or the property manager) must confirm your move-in (§ 19 of the Federal Registration Act). A rental contract is not enough. If you own the home, you confirm yourself. Online, this is at the address /wohnungsgeber in this portal: your landlord confirms there and gets a code for you, or you ask them by email.',
      },
      fields: [
        {
          id: 'landlordProof',
          type: 'radio',
          label: { de: 'Wie liegt die Bestätigung vor?', en: 'How do you have the confirmation?' },
          required: true,
          choices: [
            { value: 'code', label: { de: 'Mein Wohnungsgeber hat online bestätigt und mir einen Code gegeben', en: 'My landlord confirmed online and gave me a code' } },
            { value: 'paper', label: { de: 'Ich habe die unterschriebene Bestätigung auf Papier', en: 'I have the signed confirmation on paper' } },
          ],
        },
      ],
    },
    {
      id: 'wohnungsgeber-code',
      title: { de: 'Code der Wohnungsgeberbestätigung', en: 'Code of the landlord confirmation' },
      fields: [
        {
          id: 'landlordCode',
          type: 'text',
          label: { de: 'Code', en: 'Code' },
          hint: { de: '10 Zeichen, zum Beispiel ABCDE-12345. Groß- und Kleinschreibung und Bindestriche spielen keine Rolle.', en: '10 characters, for example ABCDE-12345. Upper or lower case and hyphens do not matter.' },
          required: true,
          maxLength: 20,
          autocomplete: 'off',
          when: byCode,
        },
      ],
      // The code is looked up when the page is sent: unknown, expired, used, or for another flat or date.
      check: (d, ctx) => landlordCodeErrors(ctx.db, d, ctx.now, { code: 'landlordCode', street: ['street', 'houseNumber'], postcode: 'postcode', moveInDate: 'moveInDate' }),
    },
    {
      id: 'wohnungsgeber-papier',
      title: { de: 'Unterschriebene Wohnungsgeberbestätigung', en: 'Signed landlord confirmation' },
      fields: [
        {
          id: 'landlordPaper',
          type: 'file',
          label: { de: 'Wohnungsgeberbestätigung (Scan oder Foto)', en: 'Landlord confirmation (scan or photo)' },
          hint: { de: 'Alle Seiten, gut lesbar, mit Unterschrift des Wohnungsgebers.', en: "All pages, clearly legible, with the landlord's signature." },
          required: true,
          accept: ['application/pdf', 'image/jpeg', 'image/png'],
          maxBytes: 10 * 1024 * 1024,
          when: onPaper,
        },
      ],
    },
  ],
  process: {
    initial: 'received',
    onSubmit: ['send_receipt', 'link_landlord_confirmation'],
    states: [
      {
        id: 'received',
        publicLabel: { de: 'Eingegangen', en: 'Received' },
        next: {
          de: 'Die Meldebehörde prüft Ihre Anmeldung. Sie nimmt sie an, fragt nach fehlenden Angaben oder bittet Sie zu einem Termin.',
          en: 'The registration office checks your registration. It accepts it, asks for missing details or asks you to come to an appointment.',
        },
        expectedDuration: 'P3D', // (unverified) a city's service level
      },
      {
        id: 'registered',
        publicLabel: { de: 'Angemeldet', en: 'Registered' },
        next: {
          de: 'Sie sind unter der neuen Anschrift gemeldet. Ihre Meldebestätigung steht unten zum Herunterladen. Die Anschrift im Chip Ihres Ausweises können Sie mit der AusweisApp ändern lassen; den Aufkleber für den Ausweis erhalten Sie per Post.',
          en: 'You are registered at the new address. Your registration confirmation is below to download. The address on your ID card chip can be updated with the AusweisApp; the address sticker for the card comes by post.',
        },
        final: true,
      },
      {
        id: 'rejected',
        publicLabel: { de: 'Online nicht möglich', en: 'Not possible online' },
        next: {
          de: 'Ihre Anmeldung konnte online nicht abgeschlossen werden; den Grund lesen Sie unten. Bitte buchen Sie einen Termin im Bürgerservice (Leistung „Termin im Bürgerservice vereinbaren“) und bringen Sie Ihren Ausweis und die Wohnungsgeberbestätigung mit.',
          en: 'Your registration could not be completed online; the reason is below. Please book an appointment at Citizen Services (service “Book an appointment at Citizen Services”) and bring your ID card and the landlord confirmation.',
        },
        final: true,
      },
      {
        id: 'withdrawn',
        publicLabel: { de: 'Zurückgezogen', en: 'Withdrawn' },
        next: { de: 'Sie haben die Anmeldung zurückgezogen. Denken Sie an die Frist von zwei Wochen nach dem Einzug.', en: 'You withdrew the registration. Remember the two-week period after moving in.' },
        final: true,
      },
    ],
    transitions: [
      {
        id: 'accept',
        from: ['received'],
        to: 'registered',
        label: { de: 'Anmeldung annehmen', en: 'Accept registration' },
        allowed: ['clerk', 'supervisor'],
        effects: ['issue_documents', 'notify_applicant'],
        publicEvent: { de: 'Die Meldebehörde hat Ihre Anmeldung angenommen. Ihre Meldebestätigung liegt bereit.', en: 'The registration office accepted your registration. Your registration confirmation is ready.' },
      },
      {
        id: 'reject',
        from: ['received'],
        to: 'rejected',
        label: { de: 'Online ablehnen (Termin nötig)', en: 'Refuse online (appointment needed)' },
        allowed: ['clerk', 'supervisor'],
        inputs: [{ id: 'reason', label: { de: 'Begründung', en: 'Reason' }, publicLabel: { de: 'Grund', en: 'Reason' }, type: 'textarea', required: true, maxLength: 2000, public: true }],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Anmeldung ist online nicht möglich. Bitte buchen Sie einen Termin.', en: 'The registration is not possible online. Please book an appointment.' },
      },
      {
        id: 'withdraw',
        from: ['received'],
        to: 'withdrawn',
        label: { de: 'Anmeldung zurückziehen', en: 'Withdraw the registration' },
        allowed: ['applicant'],
        effects: [],
        publicEvent: { de: 'Sie haben die Anmeldung zurückgezogen.', en: 'You withdrew the registration.' },
      },
    ],
  },
  documents: wohnsitzanmeldungDocuments,
};

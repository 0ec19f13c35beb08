import { verifiedAddressFields } from '../person-fields.ts';
import type { FormData, ServiceDefinition, Text } from '../../catalogue/service-definition.ts';
import { hundesteuerDocuments } from './documents.ts';
import { dogNotices, isDeregistration, isRegistration, validateDeregistrationPage, validateDogPage } from './rules.ts';

const yesNo = [
  { value: 'no', label: { de: 'Nein', en: 'No' } },
  { value: 'yes', label: { de: 'Ja', en: 'Yes' } },
] as const;

const wrongAction = (expected: 'anmeldung' | 'abmeldung', caseData: FormData): Text | undefined =>
  caseData.action === expected
    ? undefined
    : expected === 'anmeldung'
      ? { de: 'Dies ist eine Abmeldung; bitte bestätigen Sie die Abmeldung.', en: 'This is a de-registration; please confirm the de-registration.' }
      : { de: 'Dies ist eine Anmeldung; bitte setzen Sie die Steuer fest.', en: 'This is a registration; please assess the tax.' };

/**
 * Hundesteuer: register a dog (Anmeldung) or de-register it (Abmeldung). Identity level basic (an
 * account): the owner's duty is to notify, the tax notice is addressed to the account holder and
 * checked by the tax department, and false data gains nobody anything, so requiring the online
 * ID card would keep many owners off the portal for no protection. A verified identity, when the
 * session has one, fills name, birth date and address (once-only); otherwise they are typed.
 * Rates, listed breeds and limits are (unverified) in `rules.ts`. Registering is free; the tax
 * itself is set in the notice, not paid with the form.
 */
export const hundesteuer: ServiceDefinition = {
  id: 'hundesteuer',
  version: 1,
  leikaKey: '99026002000000', // (unverified) a city can correct it without touching the process
  title: { de: 'Hund anmelden oder abmelden (Hundesteuer)', en: 'Register or de-register a dog (dog tax)' },
  summary: {
    de: 'Melden Sie Ihren Hund zur Hundesteuer an, wenn er bei Ihnen einzieht, und ab, wenn er stirbt, abgegeben wird oder Sie wegziehen. Sie bekommen den Steuerbescheid und die Hundemarke.',
    en: 'Register your dog for dog tax when it comes to live with you, and de-register it when it dies, is given away or you move away. You receive the tax notice and the dog tag.',
  },
  topic: 'alltag',
  keywords: ['hund', 'hunde', 'hundesteuer', 'hundemarke', 'steuermarke', 'welpe', 'hund anmelden', 'hund abmelden', 'haustier', 'dog', 'dog tax', 'puppy'],
  identityLevel: 'basic',
  feeCents: 0,
  receivingDepartment: 'steueramt',
  retention: 'P10Y', // (unverified) tax files are kept ten years after the tax ended
  applicantEmailField: 'email',
  applicantNameField: 'familyName',
  caseSummary: (d, lang) =>
    isRegistration(d) ? `${lang === 'de' ? 'Anmeldung' : 'Registration'}: ${String(d.breed ?? '')}` : `${lang === 'de' ? 'Abmeldung' : 'De-registration'}`,
  pages: [
    {
      id: 'anliegen',
      title: { de: 'Was möchten Sie tun?', en: 'What would you like to do?' },
      fields: [
        {
          id: 'action',
          type: 'radio',
          label: { de: 'Ihr Anliegen', en: 'Your matter' },
          required: true,
          choices: [
            { value: 'anmeldung', label: { de: 'Einen Hund anmelden', en: 'Register a dog' } },
            { value: 'abmeldung', label: { de: 'Einen Hund abmelden', en: 'De-register a dog' } },
          ],
        },
        { id: 'dogName', type: 'text', label: { de: 'Name des Hundes', en: "Dog's name" }, required: true, maxLength: 100 },
      ],
    },
    {
      id: 'halter',
      title: { de: 'Wer hält den Hund?', en: 'Who keeps the dog?' },
      intro: {
        de: 'Steuerpflichtig ist, wer den Hund in seinem Haushalt hält. Mit nachgewiesener Identität übernehmen wir Name, Geburtsdatum und Adresse.',
        en: 'The tax is owed by whoever keeps the dog in their household. With a verified identity we take your name, date of birth and address from it.',
      },
      fields: [
        { id: 'givenName', type: 'text', label: { de: 'Vorname', en: 'Given name' }, required: true, maxLength: 100, autocomplete: 'given-name', prefill: 'given_name' },
        { id: 'familyName', type: 'text', label: { de: 'Nachname', en: 'Family name' }, required: true, maxLength: 100, autocomplete: 'family-name', prefill: 'family_name' },
        { id: 'birthdate', type: 'date', label: { de: 'Geburtsdatum', en: 'Date of birth' }, hint: { de: 'Zum Beispiel 12.08.1985', en: 'For example 12.08.1985' }, required: true, autocomplete: 'bday', prefill: 'birthdate' },
        ...verifiedAddressFields(),
        {
          id: 'email',
          type: 'email',
          label: { de: 'E-Mail-Adresse', en: 'Email address' },
          hint: { de: 'Hierhin senden wir die Eingangsbestätigung und den Bescheid.', en: 'We send the receipt and the notice here.' },
          required: true,
          maxLength: 254,
          autocomplete: 'email',
        },
        { id: 'phone', type: 'tel', label: { de: 'Telefonnummer (freiwillig)', en: 'Phone number (optional)' }, maxLength: 30, autocomplete: 'tel' },
      ],
    },
    {
      id: 'hund',
      title: { de: 'Angaben zum Hund', en: 'About the dog' },
      fields: [
        {
          id: 'breed',
          type: 'text',
          label: { de: 'Rasse', en: 'Breed' },
          hint: { de: 'Bei einem Mischling die Rassen, soweit bekannt, z. B. „Labrador-Mischling“.', en: 'For a cross-breed, the breeds if known, e.g. “Labrador cross”.' },
          required: true,
          maxLength: 100,
          when: isRegistration,
        },
        { id: 'dogBirthdate', type: 'date', label: { de: 'Geburtsdatum des Hundes (ungefähr genügt)', en: "Dog's date of birth (approximate is fine)" }, required: true, when: isRegistration },
        { id: 'keptSince', type: 'date', label: { de: 'Bei Ihnen seit', en: 'Living with you since' }, required: true, when: isRegistration },
        {
          id: 'chipNumber',
          type: 'text',
          label: { de: 'Chipnummer (Transponder)', en: 'Microchip number' },
          hint: { de: '15 Ziffern; sie steht im Heimtierausweis.', en: '15 digits; it is in the pet passport.' },
          required: true,
          maxLength: 25,
          when: isRegistration,
        },
        {
          id: 'declaredDangerous',
          type: 'radio',
          label: { de: 'Hat eine Behörde Ihren Hund als gefährlich eingestuft?', en: 'Has an authority declared your dog dangerous?' },
          required: true,
          choices: yesNo,
          when: isRegistration,
        },
        {
          id: 'otherDogs',
          type: 'integer',
          label: { de: 'Wie viele andere Hunde sind in Ihrem Haushalt schon angemeldet?', en: 'How many other dogs are already registered in your household?' },
          hint: { de: 'Ab dem zweiten Hund ist die Steuer höher.', en: 'From the second dog on, the tax is higher.' },
          required: true,
          min: 0,
          max: 20,
          when: isRegistration,
        },
      ],
      notices: (data, ctx) => (isRegistration(data) ? dogNotices(data, ctx) : []),
      validate: validateDogPage,
    },
    {
      id: 'abmeldung',
      title: { de: 'Warum melden Sie den Hund ab?', en: 'Why are you de-registering the dog?' },
      fields: [
        {
          id: 'tagNumber',
          type: 'text',
          label: { de: 'Nummer der Steuermarke (freiwillig)', en: 'Tax tag number (optional)' },
          hint: { de: 'Sie steht auf der Hundemarke.', en: 'It is printed on the dog tag.' },
          maxLength: 20,
          when: isDeregistration,
        },
        {
          id: 'endReason',
          type: 'radio',
          label: { de: 'Grund', en: 'Reason' },
          required: true,
          when: isDeregistration,
          choices: [
            { value: 'died', label: { de: 'Der Hund ist gestorben', en: 'The dog has died' } },
            { value: 'given_away', label: { de: 'Ich habe den Hund abgegeben', en: 'I have given the dog away' } },
            { value: 'moved_away', label: { de: 'Ich ziehe mit dem Hund aus der Stadt weg', en: 'I am moving out of the city with the dog' } },
            { value: 'other', label: { de: 'Ein anderer Grund', en: 'Another reason' } },
          ],
        },
        { id: 'endDate', type: 'date', label: { de: 'Seit wann halten Sie den Hund nicht mehr?', en: 'Since when have you no longer kept the dog?' }, required: true, when: isDeregistration },
        {
          id: 'newKeeper',
          type: 'textarea',
          label: { de: 'Name und Adresse der neuen Halterin oder des neuen Halters', en: 'Name and address of the new owner' },
          required: true,
          maxLength: 500,
          when: (d) => isDeregistration(d) && d.endReason === 'given_away',
        },
        {
          id: 'newAddress',
          type: 'textarea',
          label: { de: 'Ihre neue Adresse', en: 'Your new address' },
          required: true,
          maxLength: 500,
          when: (d) => isDeregistration(d) && d.endReason === 'moved_away',
        },
        {
          id: 'endOther',
          type: 'textarea',
          label: { de: 'Bitte beschreiben Sie den Grund', en: 'Please describe the reason' },
          required: true,
          maxLength: 1000,
          when: (d) => isDeregistration(d) && d.endReason === 'other',
        },
      ],
      validate: validateDeregistrationPage,
    },
  ],
  process: {
    initial: 'received',
    onSubmit: ['send_receipt', 'issue_documents'],
    states: [
      {
        id: 'received',
        publicLabel: { de: 'Eingegangen', en: 'Received' },
        next: { de: 'Wir prüfen Ihre Meldung.', en: 'We will check your notification.' },
        expectedDuration: 'P5D',
      },
      {
        id: 'in_review',
        publicLabel: { de: 'In Bearbeitung', en: 'Being processed' },
        next: {
          de: 'Sie bekommen den Bescheid mit der Steuermarke (bei einer Anmeldung) oder die Bestätigung der Abmeldung.',
          en: 'You will receive the tax notice with the tax tag (for a registration) or the confirmation of the de-registration.',
        },
        expectedDuration: 'P10D',
      },
      {
        id: 'registered',
        publicLabel: { de: 'Angemeldet', en: 'Registered' },
        next: {
          de: 'Ihr Hundesteuerbescheid liegt unten zum Herunterladen bereit. Die Hundemarke kommt mit der Post; Ihr Hund trägt sie draußen sichtbar.',
          en: 'Your dog tax notice is ready to download below. The dog tag comes by post; your dog wears it visibly outdoors.',
        },
        final: true,
      },
      {
        id: 'deregistered',
        publicLabel: { de: 'Abgemeldet', en: 'De-registered' },
        next: { de: 'Die Bestätigung liegt unten zum Herunterladen bereit. Zu viel gezahlte Steuer erstatten wir Ihnen.', en: 'The confirmation is ready to download below. Any tax paid in excess will be refunded.' },
        final: true,
      },
      {
        id: 'rejected',
        publicLabel: { de: 'Nicht bearbeitet', en: 'Not processed' },
        next: { de: 'Wir konnten Ihre Meldung so nicht bearbeiten. Den Grund lesen Sie unten.', en: 'We could not process your notification as it is. The reason is shown below.' },
        final: true,
      },
      {
        id: 'withdrawn',
        publicLabel: { de: 'Zurückgezogen', en: 'Withdrawn' },
        next: { de: 'Sie haben die Meldung zurückgezogen. Es ist nichts weiter zu tun.', en: 'You withdrew the notification. Nothing else needs to be done.' },
        final: true,
      },
    ],
    transitions: [
      {
        id: 'start_review',
        from: ['received'],
        to: 'in_review',
        label: { de: 'Bearbeitung beginnen', en: 'Start processing' },
        allowed: ['clerk', 'supervisor'],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Bearbeitung hat begonnen.', en: 'Processing has started.' },
      },
      {
        id: 'register',
        from: ['received', 'in_review'],
        to: 'registered',
        label: { de: 'Steuer festsetzen und Marke zuteilen', en: 'Assess the tax and assign a tag' },
        allowed: ['clerk', 'supervisor'],
        inputs: [
          { id: 'tagNumber', label: { de: 'Nummer der Steuermarke', en: 'Tax tag number' }, publicLabel: { de: 'Ihre Steuermarke', en: 'Your tax tag' }, type: 'text', required: true, maxLength: 20, public: true },
          { id: 'remarks', label: { de: 'Hinweise (freiwillig)', en: 'Remarks (optional)' }, publicLabel: { de: 'Hinweise des Amts', en: 'Remarks from the office' }, type: 'textarea', required: false, maxLength: 2000, public: true },
        ],
        guard: ({ caseData }) => wrongAction('anmeldung', caseData),
        effects: ['notify_applicant', 'issue_documents'],
        publicEvent: { de: 'Ihr Hund ist angemeldet; der Bescheid ist da.', en: 'Your dog is registered; the tax notice is ready.' },
      },
      {
        id: 'deregister',
        from: ['received', 'in_review'],
        to: 'deregistered',
        label: { de: 'Abmeldung bestätigen', en: 'Confirm the de-registration' },
        allowed: ['clerk', 'supervisor'],
        inputs: [{ id: 'remarks', label: { de: 'Hinweise (freiwillig)', en: 'Remarks (optional)' }, publicLabel: { de: 'Hinweise des Amts', en: 'Remarks from the office' }, type: 'textarea', required: false, maxLength: 2000, public: true }],
        guard: ({ caseData }) => wrongAction('abmeldung', caseData),
        effects: ['notify_applicant', 'issue_documents'],
        publicEvent: { de: 'Die Abmeldung ist bestätigt.', en: 'The de-registration is confirmed.' },
      },
      {
        id: 'reject',
        from: ['received', 'in_review'],
        to: 'rejected',
        label: { de: 'Nicht bearbeiten', en: 'Do not process' },
        allowed: ['clerk', 'supervisor'],
        inputs: [{ id: 'reason', label: { de: 'Begründung', en: 'Reason' }, type: 'textarea', required: true, maxLength: 4000, public: true }],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Meldung konnte so nicht bearbeitet werden.', en: 'The notification could not be processed as it is.' },
      },
      {
        id: 'withdraw',
        from: ['received', 'in_review'],
        to: 'withdrawn',
        label: { de: 'Meldung zurückziehen', en: 'Withdraw the notification' },
        allowed: ['applicant'],
        effects: [],
        publicEvent: { de: 'Sie haben die Meldung zurückgezogen.', en: 'You withdrew the notification.' },
      },
    ],
  },
  documents: hundesteuerDocuments,
};

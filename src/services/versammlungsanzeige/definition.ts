import type { FormData, ServiceDefinition } from '../../catalogue/service-definition.ts';
import { formatIsoDate } from '../../platform/i18n/time.ts';
import {
  isLateNotice,
  lateNoticeExplanation,
  validateAnnouncementPage,
  validatePlacePage,
  validateScalePage,
  validateWhenPage,
} from './rules.ts';
import { versammlungsanzeigeDocuments } from './documents.ts';
import { AUTHORITY_STATES, authorityDocuments, authorityTransitions } from './authority-process.ts';

const yesNo = [
  { value: 'yes', label: { de: 'Ja', en: 'Yes' } },
  { value: 'no', label: { de: 'Nein', en: 'No' } },
] as const;

const isMarch = (d: FormData) => d.kind === 'march';
const isStationary = (d: FormData) => d.kind !== 'march';

/** Versammlungsanzeige nach § 12 VersammlG LSA (DOMAIN.md). No fee, no visit, no account needed. */
export const versammlungsanzeige: ServiceDefinition = {
  id: 'versammlungsanzeige',
  version: 3,
  leikaKey: '99106001000000', // (unverified) a city can correct it without touching the process
  title: { de: 'Versammlung anzeigen', en: 'Notify a public assembly' },
  summary: {
    de: 'Zeigen Sie eine Versammlung unter freiem Himmel oder einen Aufzug (Demonstration) an – spätestens 48 Stunden vor der Bekanntgabe. Kostenlos, ohne Konto.',
    en: 'Notify an open-air assembly or a march (demonstration) at least 48 hours before announcing it. Free, no account needed.',
  },
  topic: 'oeffentlich',
  keywords: ['demonstration', 'demo', 'kundgebung', 'aufzug', 'protest', 'versammlung', 'mahnwache', 'anmelden', 'assembly', 'march', 'rally'],
  identityLevel: 'none',
  feeCents: 0,
  receivingDepartment: 'versammlungsbehoerde',
  retention: 'P3Y',
  applicantEmailField: 'email',
  applicantNameField: 'organiserName',
  caseSummary: (d, lang) => {
    const kind = d.kind === 'march' ? (lang === 'de' ? 'Aufzug' : 'March') : lang === 'de' ? 'Kundgebung' : 'Stationary assembly';
    return `${kind}, ${formatIsoDate(String(d.date ?? ''), lang)}, ${String(d.participants ?? '?')} ${lang === 'de' ? 'Teilnehmende' : 'participants'}`;
  },
  pages: [
    {
      id: 'veranstalter',
      title: { de: 'Wer veranstaltet die Versammlung?', en: 'Who is organising the assembly?' },
      intro: {
        de: 'Veranstalterin oder Veranstalter ist, wer zu der Versammlung einlädt. Das kann eine Person oder eine Organisation sein.',
        en: 'The organiser is whoever invites people to the assembly: a person or an organisation.',
      },
      fields: [
        { id: 'organiserName', type: 'text', label: { de: 'Vor- und Nachname', en: 'Full name' }, required: true, maxLength: 200, autocomplete: 'name' },
        { id: 'organisation', type: 'text', label: { de: 'Organisation (falls zutreffend)', en: 'Organisation (if any)' }, maxLength: 200, autocomplete: 'organization' },
        { id: 'street', type: 'text', label: { de: 'Straße und Hausnummer', en: 'Street and house number' }, required: true, maxLength: 200, autocomplete: 'street-address' },
        { id: 'postcode', type: 'postcode', label: { de: 'Postleitzahl', en: 'Postcode' }, required: true, maxLength: 5, autocomplete: 'postal-code' },
        { id: 'town', type: 'text', label: { de: 'Ort', en: 'Town' }, required: true, maxLength: 100, autocomplete: 'address-level2' },
        {
          id: 'email',
          type: 'email',
          label: { de: 'E-Mail-Adresse', en: 'Email address' },
          hint: { de: 'Hierhin senden wir die Eingangsbestätigung.', en: 'We send the receipt here.' },
          required: true,
          maxLength: 254,
          autocomplete: 'email',
        },
        { id: 'phone', type: 'tel', label: { de: 'Telefonnummer (freiwillig)', en: 'Phone number (optional)' }, maxLength: 30, autocomplete: 'tel' },
      ],
    },
    {
      id: 'leitung',
      title: { de: 'Wer leitet die Versammlung?', en: 'Who leads the assembly?' },
      intro: {
        de: 'Die Leiterin oder der Leiter muss während der ganzen Versammlung anwesend und erreichbar sein. Eine Stellvertretung ist möglich.',
        en: 'The leader must be present and reachable for the whole assembly. A deputy is possible.',
      },
      fields: [
        { id: 'leaderName', type: 'text', label: { de: 'Name der Leiterin oder des Leiters', en: 'Name of the leader' }, required: true, maxLength: 200 },
        {
          id: 'leaderPhone',
          type: 'tel',
          label: { de: 'Telefon der Leitung während der Versammlung', en: "Leader's phone during the assembly" },
          hint: { de: 'Damit die Behörde die Leitung vor Ort erreicht.', en: 'So the authority can reach the leader on site.' },
          required: true,
          maxLength: 30,
        },
        { id: 'deputyName', type: 'text', label: { de: 'Stellvertretung (freiwillig)', en: 'Deputy (optional)' }, maxLength: 200 },
      ],
    },
    {
      id: 'versammlung',
      title: { de: 'Worum geht es und wann?', en: 'What is it about, and when?' },
      fields: [
        {
          id: 'subject',
          type: 'textarea',
          label: { de: 'Thema der Versammlung', en: 'Subject of the assembly' },
          hint: { de: 'Zum Beispiel: „Für mehr Radwege in der Innenstadt“.', en: 'For example: “More cycle lanes in the city centre”.' },
          required: true,
          minLength: 3,
          maxLength: 1000,
        },
        {
          id: 'kind',
          type: 'radio',
          label: { de: 'Art der Versammlung', en: 'Type of assembly' },
          required: true,
          choices: [
            { value: 'stationary', label: { de: 'Kundgebung an einem Ort', en: 'Stationary assembly at one place' } },
            { value: 'march', label: { de: 'Aufzug (Demonstrationszug auf einem Weg)', en: 'March (moving along a route)' } },
          ],
        },
        { id: 'date', type: 'date', label: { de: 'Datum', en: 'Date' }, hint: { de: 'Zum Beispiel 17.05.2027', en: 'For example 17.05.2027' }, required: true },
        { id: 'startTime', type: 'time', label: { de: 'Beginn (Uhrzeit)', en: 'Start time' }, hint: { de: 'Zum Beispiel 14:30', en: 'For example 14:30' }, required: true },
        { id: 'endTime', type: 'time', label: { de: 'Ende (Uhrzeit)', en: 'End time' }, required: true },
        {
          id: 'endDate',
          type: 'date',
          label: { de: 'Enddatum, falls nicht am selben Tag (freiwillig)', en: 'End date, if not the same day (optional)' },
        },
      ],
      validate: validateWhenPage,
    },
    {
      id: 'ort',
      title: { de: 'Wo findet die Versammlung statt?', en: 'Where does the assembly take place?' },
      fields: [
        {
          id: 'place',
          type: 'text',
          label: { de: 'Ort (Platz oder Adresse)', en: 'Place (square or address)' },
          hint: { de: 'Zum Beispiel: Marktplatz, vor dem Roten Turm.', en: 'For example: Marktplatz, in front of the Red Tower.' },
          required: true,
          maxLength: 300,
          when: isStationary,
        },
        { id: 'assemblyPoint', type: 'text', label: { de: 'Sammelpunkt (Beginn)', en: 'Assembly point (start)' }, required: true, maxLength: 300, when: isMarch },
        {
          id: 'route',
          type: 'textarea',
          label: { de: 'Wegstrecke', en: 'Route' },
          hint: { de: 'Die Straßen in der Reihenfolge des Zuges.', en: 'The streets in the order of the march.' },
          required: true,
          maxLength: 3000,
          when: isMarch,
        },
        { id: 'endPoint', type: 'text', label: { de: 'Endpunkt (Abschlusskundgebung)', en: 'End point (closing rally)' }, required: true, maxLength: 300, when: isMarch },
        {
          id: 'sitePlan',
          type: 'file',
          label: { de: 'Lageplan oder Skizze (freiwillig)', en: 'Site plan or sketch (optional)' },
          hint: { de: 'Zum Beispiel der Aufbau der Bühne oder die Strecke auf einem Stadtplan.', en: 'For example where the stage stands, or the route on a map.' },
          accept: ['application/pdf', 'image/jpeg', 'image/png'],
          maxBytes: 10 * 1024 * 1024,
        },
      ],
      validate: validatePlacePage,
    },
    {
      id: 'umfang',
      title: { de: 'Wie groß wird die Versammlung?', en: 'How large will the assembly be?' },
      fields: [
        { id: 'participants', type: 'integer', label: { de: 'Erwartete Teilnehmende', en: 'Expected participants' }, required: true, min: 1, max: 1_000_000 },
        {
          id: 'stewards',
          type: 'integer',
          label: { de: 'Anzahl der Ordnerinnen und Ordner', en: 'Number of stewards' },
          hint: { de: 'Volljährige, ehrenamtliche Helferinnen und Helfer mit Armbinde „Ordner“.', en: 'Adult volunteers wearing a “steward” armband.' },
          required: true,
          min: 0,
          max: 100_000,
        },
        {
          id: 'aids',
          type: 'checkboxes',
          label: { de: 'Hilfsmittel (freiwillig)', en: 'Equipment (optional)' },
          choices: [
            { value: 'loudspeaker', label: { de: 'Lautsprecheranlage', en: 'Loudspeaker system' } },
            { value: 'megaphone', label: { de: 'Megafon', en: 'Megaphone' } },
            { value: 'banners', label: { de: 'Transparente, Fahnen, Schilder', en: 'Banners, flags, placards' } },
            { value: 'stage', label: { de: 'Bühne oder Podest', en: 'Stage or platform' } },
            { value: 'infoStand', label: { de: 'Infostand, Pavillon', en: 'Information stand, gazebo' } },
            { value: 'vehicles', label: { de: 'Fahrzeuge', en: 'Vehicles' } },
          ],
        },
        { id: 'aidsDetails', type: 'textarea', label: { de: 'Weitere Angaben zu den Hilfsmitteln (freiwillig)', en: 'More about the equipment (optional)' }, maxLength: 2000 },
      ],
      validate: validateScalePage,
    },
    {
      id: 'bekanntgabe',
      title: { de: 'Wann laden Sie öffentlich ein?', en: 'When do you announce it publicly?' },
      intro: {
        de: 'Bekanntgabe ist der Moment, in dem Sie öffentlich zur Versammlung aufrufen, zum Beispiel in sozialen Medien oder mit Plakaten.',
        en: 'The announcement is when you publicly call for the assembly, for example on social media or with posters.',
      },
      fields: [
        { id: 'alreadyAnnounced', type: 'radio', label: { de: 'Haben Sie die Versammlung schon bekannt gegeben?', en: 'Have you already announced the assembly?' }, required: true, choices: yesNo },
        {
          id: 'announcementDate',
          type: 'date',
          label: { de: 'Geplantes Datum der Bekanntgabe', en: 'Planned date of the announcement' },
          required: true,
          when: (d) => d.alreadyAnnounced === 'no',
        },
        {
          id: 'announcementTime',
          type: 'time',
          label: { de: 'Uhrzeit der Bekanntgabe (freiwillig)', en: 'Time of the announcement (optional)' },
          when: (d) => d.alreadyAnnounced === 'no',
        },
        {
          id: 'urgent',
          type: 'radio',
          label: { de: 'Handelt es sich um eine Eilversammlung?', en: 'Is this an urgent assembly (Eilversammlung)?' },
          required: true,
          choices: yesNo,
          when: isLateNotice,
        },
        {
          id: 'urgentReason',
          type: 'textarea',
          label: { de: 'Warum war eine frühere Anzeige nicht möglich?', en: 'Why could it not be notified earlier?' },
          required: true,
          maxLength: 2000,
          when: (d, ctx) => isLateNotice(d, ctx) && d.urgent === 'yes',
        },
      ],
      notices: (d, ctx) => (isLateNotice(d, ctx) ? [lateNoticeExplanation] : []),
      validate: validateAnnouncementPage,
    },
  ],
  process: {
    initial: 'received',
    // forward_to_authority does nothing unless the city names an external authority (ADR 0023).
    onSubmit: ['send_receipt', 'issue_documents', 'forward_to_authority'],
    states: [
      {
        id: 'received',
        publicLabel: { de: 'Eingegangen', en: 'Received' },
        next: { de: 'Die Versammlungsbehörde prüft Ihre Anzeige.', en: 'The assembly authority will review your notice.' },
        expectedDuration: 'P2D',
      },
      {
        id: 'in_review',
        publicLabel: { de: 'In Prüfung', en: 'Under review' },
        next: {
          de: 'Die Behörde bestätigt die Anzeige, lädt Sie zu einem Kooperationsgespräch ein oder meldet sich mit Auflagen.',
          en: 'The authority will confirm the notice, invite you to a cooperation talk or contact you about conditions.',
        },
        expectedDuration: 'P5D',
      },
      {
        id: 'cooperation_talk',
        publicLabel: { de: 'Kooperationsgespräch angefragt', en: 'Cooperation talk requested' },
        next: {
          de: 'Die Behörde möchte mit Ihnen über den Ablauf sprechen (§ 12 Abs. 3 VersammlG LSA). Sie meldet sich mit einem Terminvorschlag.',
          en: 'The authority wants to talk with you about how the assembly will run (§ 12(3) VersammlG LSA). It will propose a date.',
        },
        expectedDuration: 'P7D',
      },
      // Where the city names an external receiving authority (ADR 0023), the notice goes there and
      // the case follows the authority's answers through these states, which no clerk's action
      // leaves: only the authority (as the system actor, through its signed answers) decides.
      {
        id: 'forwarded',
        publicLabel: { de: 'An die zuständige Behörde weitergeleitet', en: 'Forwarded to the competent authority' },
        next: {
          de: 'Ihre Anzeige ist bei der zuständigen Versammlungsbehörde (siehe Verlauf). Sie prüft die Anzeige und meldet sich; ihre Antwort sehen Sie hier.',
          en: 'Your notice is with the competent assembly authority (see the history). It will review the notice and get back to you; you will see its answer here.',
        },
        expectedDuration: 'P2D',
      },
      {
        id: 'authority_review',
        publicLabel: { de: 'Bei der zuständigen Behörde in Prüfung', en: 'Under review by the competent authority' },
        next: {
          de: 'Die zuständige Behörde bestätigt die Anzeige, lädt Sie zu einem Kooperationsgespräch ein oder meldet sich mit Beschränkungen.',
          en: 'The competent authority will confirm the notice, invite you to a cooperation talk or contact you about restrictions.',
        },
        expectedDuration: 'P5D',
      },
      {
        id: 'authority_cooperation_talk',
        publicLabel: { de: 'Kooperationsgespräch angefragt', en: 'Cooperation talk requested' },
        next: {
          de: 'Die zuständige Behörde möchte mit Ihnen über den Ablauf sprechen (§ 12 Abs. 3 VersammlG LSA). Sie meldet sich mit einem Terminvorschlag.',
          en: 'The competent authority wants to talk with you about how the assembly will run (§ 12(3) VersammlG LSA). It will propose a date.',
        },
        expectedDuration: 'P7D',
      },
      {
        id: 'confirmed',
        publicLabel: { de: 'Bestätigt', en: 'Confirmed' },
        next: { de: 'Ihre Versammlung kann wie angezeigt stattfinden. Beachten Sie etwaige Hinweise.', en: 'Your assembly can take place as notified. Please note any remarks.' },
        final: true,
      },
      {
        id: 'restricted',
        publicLabel: { de: 'Mit Beschränkungen bestätigt', en: 'Confirmed with restrictions' },
        next: {
          de: 'Ihre Versammlung kann stattfinden, aber nur mit den genannten Beschränkungen. Gegen den Bescheid können Sie Widerspruch einlegen.',
          en: 'Your assembly can take place, but only with the restrictions stated. You can object to the decision.',
        },
        final: true,
      },
      {
        id: 'banned',
        publicLabel: { de: 'Verboten', en: 'Banned' },
        next: {
          de: 'Die Versammlung darf nicht stattfinden. Die Begründung steht unten. Sie können dagegen vor dem Verwaltungsgericht Halle vorgehen.',
          en: 'The assembly must not take place. The reason is shown below. You can challenge the ban at the administrative court in Halle.',
        },
        final: true,
      },
      {
        id: 'withdrawn',
        publicLabel: { de: 'Zurückgezogen', en: 'Withdrawn' },
        next: { de: 'Sie haben die Anzeige zurückgezogen. Es ist nichts weiter zu tun.', en: 'You withdrew the notice. Nothing else needs to be done.' },
        final: true,
      },
    ],
    transitions: [
      {
        id: 'start_review',
        from: ['received'],
        to: 'in_review',
        label: { de: 'Prüfung beginnen', en: 'Start review' },
        allowed: ['clerk', 'supervisor'],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Prüfung hat begonnen.', en: 'The review has started.' },
      },
      {
        id: 'request_cooperation_talk',
        from: ['in_review'],
        to: 'cooperation_talk',
        label: { de: 'Kooperationsgespräch anfragen', en: 'Request cooperation talk' },
        allowed: ['clerk', 'supervisor'],
        inputs: [
          {
            id: 'message',
            label: { de: 'Nachricht an die Veranstaltenden (Terminvorschlag)', en: 'Message to the organiser (proposed date)' },
            publicLabel: { de: 'Nachricht der Behörde', en: 'Message from the authority' },
            type: 'textarea',
            required: true,
            maxLength: 2000,
            public: true,
          },
        ],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Behörde bittet um ein Kooperationsgespräch.', en: 'The authority asks for a cooperation talk.' },
      },
      {
        id: 'confirm',
        from: ['in_review', 'cooperation_talk'],
        to: 'confirmed',
        label: { de: 'Bestätigen', en: 'Confirm' },
        allowed: ['clerk', 'supervisor'],
        inputs: [
          {
            id: 'conditions',
            label: { de: 'Hinweise (freiwillig)', en: 'Remarks (optional)' },
            publicLabel: { de: 'Hinweise der Behörde', en: 'Remarks from the authority' },
            type: 'textarea',
            required: false,
            maxLength: 4000,
            public: true,
          },
        ],
        effects: ['notify_applicant', 'issue_documents'],
        publicEvent: { de: 'Die Anzeige wurde bestätigt.', en: 'The notice was confirmed.' },
      },
      {
        id: 'restrict',
        from: ['in_review', 'cooperation_talk'],
        to: 'restricted',
        label: { de: 'Mit Beschränkungen bestätigen', en: 'Confirm with restrictions' },
        allowed: ['clerk', 'supervisor'],
        inputs: [
          { id: 'restrictions', label: { de: 'Beschränkungen', en: 'Restrictions' }, type: 'textarea', required: true, maxLength: 4000, public: true },
          { id: 'reason', label: { de: 'Begründung', en: 'Reason' }, type: 'textarea', required: true, maxLength: 4000, public: true },
        ],
        effects: ['notify_applicant', 'issue_documents'],
        publicEvent: { de: 'Die Versammlung wurde mit Beschränkungen bestätigt.', en: 'The assembly was confirmed with restrictions.' },
      },
      {
        id: 'ban',
        from: ['in_review', 'cooperation_talk'],
        to: 'banned',
        label: { de: 'Verbieten', en: 'Ban' },
        allowed: ['supervisor', 'clerk'],
        inputs: [{ id: 'reason', label: { de: 'Begründung des Verbots', en: 'Reason for the ban' }, type: 'textarea', required: true, maxLength: 4000, public: true }],
        guard: ({ input }) =>
          (input.reason ?? '').trim().length < 20
            ? { de: 'Ein Verbot braucht eine Begründung von mindestens 20 Zeichen.', en: 'A ban needs a reason of at least 20 characters.' }
            : undefined,
        effects: ['notify_applicant', 'issue_documents'],
        publicEvent: { de: 'Die Versammlung wurde verboten.', en: 'The assembly was banned.' },
      },
      {
        id: 'withdraw',
        from: ['received', 'in_review', 'cooperation_talk', ...AUTHORITY_STATES],
        to: 'withdrawn',
        label: { de: 'Anzeige zurückziehen', en: 'Withdraw the notice' },
        allowed: ['applicant'],
        // An external authority that has the notice is told (nothing happens without one).
        effects: ['forward_to_authority'],
        publicEvent: { de: 'Sie haben die Anzeige zurückgezogen.', en: 'You withdrew the notice.' },
      },
      ...authorityTransitions,
    ],
  },
  documents: [...versammlungsanzeigeDocuments, ...authorityDocuments],
};

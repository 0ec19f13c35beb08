import type { FormData } from '../catalogue/service-definition.ts';
import { listOf, textOf } from './trade-fields.ts';

/**
 * A trade notice (GewA 1, 2 or 3) as a plain model, independent of any form: what the
 * XGewerbeanzeige messages and the recipients' rules read. `tradeNoticeFromForm` builds it from the
 * fields of `trade-fields.ts`; another journey (Unternehmensgründung) may build it from its own.
 */
export type NoticeKind = 'anmeldung' | 'ummeldung' | 'abmeldung';

export interface PostalAddress {
  readonly street: string;
  readonly houseNumber: string;
  readonly postcode: string;
  readonly town: string;
}

export interface TradePerson {
  readonly givenName: string;
  readonly familyName: string;
  readonly birthName?: string;
  /** YYYY-MM-DD */
  readonly birthDate?: string;
  readonly birthPlace?: string;
  /** ISO 3166-1 alpha-2. */
  readonly nationality?: string;
  /** w | m | d | x (trade-fields GENDERS). */
  readonly gender?: string;
  readonly address: PostalAddress;
  readonly email?: string;
  readonly phone?: string;
  /** Third-country nationals only: does the residence title allow self-employment? */
  readonly residenceTitleAllowsTrade?: boolean;
}

interface TradeActivity {
  readonly description: string;
  /** WZ 2008, five digits, or empty. */
  readonly wzKey: string;
  /** ACTIVITY_CATEGORIES id. */
  readonly category: string;
}

export interface TradeNotice {
  readonly kind: NoticeKind;
  readonly legalForm: string;
  readonly businessName?: string;
  readonly register?: { readonly type: string; readonly number: string; readonly court: string; readonly name: string };
  readonly persons: readonly TradePerson[];
  readonly businessAddress: PostalAddress;
  readonly activity: TradeActivity;
  /** industrie | handwerk | handel | sonstiges */
  readonly businessType: readonly string[];
  /** a | b | none (HwO annex), when asked. */
  readonly craftAnnex?: string;
  /** yes | applied | no, when a permit or craft card is needed. */
  readonly permitStatus?: string;
  /** haupt | zweig | unselbst */
  readonly branchType: string;
  readonly sideBusiness: boolean;
  readonly fullTimeStaff: number;
  readonly partTimeStaff: number;
  /** From when the notice applies (start, change or end), YYYY-MM-DD. */
  readonly effectiveDate: string;
  /** Anmeldung: START_REASONS code; Abmeldung: END_REASONS code; Ummeldung: the kinds of change joined. */
  readonly reason: string;
  /** Abmeldung: END_CAUSES code. */
  readonly cause?: string;
  /** Ummeldung: what changed, and the address or activity before it. */
  readonly change?: { readonly kinds: readonly string[]; readonly previousAddress?: PostalAddress; readonly previousActivity?: TradeActivity };
}

/** "Große Ulrichstraße 7a" → street and house number; a street without a number keeps it all. */
function splitStreet(line: string): { street: string; houseNumber: string } {
  const m = /^(.*?)[\s,]+(\d+\s*[a-zA-Z]?(?:\s*[-/]\s*\d+\s*[a-zA-Z]?)?)$/.exec(line.trim());
  return m ? { street: m[1]!.trim(), houseNumber: m[2]!.replace(/\s+/g, '') } : { street: line.trim(), houseNumber: '' };
}

const address = (d: FormData, prefix: string): PostalAddress => {
  const { street, houseNumber } = splitStreet(textOf(d, `${prefix}Street`));
  return { street, houseNumber, postcode: textOf(d, `${prefix}Postcode`), town: textOf(d, `${prefix}Town`) };
};
const opt = (v: string): string | undefined => (v === '' ? undefined : v);
const int = (v: string): number => (/^\d+$/.test(v) ? Number(v) : 0);

function activity(d: FormData, prefix: string): TradeActivity {
  return { description: textOf(d, `${prefix}activityDescription`), wzKey: textOf(d, `${prefix}wzKey`).replace(/[^0-9]/g, ''), category: textOf(d, `${prefix}activityCategory`) };
}

/** The notice from a trade service's form data (field ids of `trade-fields.ts`). */
export function tradeNoticeFromForm(kind: NoticeKind, d: FormData): TradeNotice {
  const { street, houseNumber } = splitStreet(textOf(d, 'street'));
  const residence = textOf(d, 'residenceTitle');
  const person: TradePerson = {
    givenName: textOf(d, 'givenName'),
    familyName: textOf(d, 'familyName'),
    ...(opt(textOf(d, 'birthName')) ? { birthName: textOf(d, 'birthName') } : {}),
    ...(opt(textOf(d, 'birthDate')) ? { birthDate: textOf(d, 'birthDate') } : {}),
    ...(opt(textOf(d, 'birthPlace')) ? { birthPlace: textOf(d, 'birthPlace') } : {}),
    ...(opt(textOf(d, 'nationality')) ? { nationality: textOf(d, 'nationality').toUpperCase() } : {}),
    ...(opt(textOf(d, 'gender')) ? { gender: textOf(d, 'gender') } : {}),
    address: { street, houseNumber, postcode: textOf(d, 'postcode'), town: textOf(d, 'town') },
    ...(opt(textOf(d, 'email')) ? { email: textOf(d, 'email') } : {}),
    ...(opt(textOf(d, 'phone')) ? { phone: textOf(d, 'phone') } : {}),
    ...(residence === 'yes' || residence === 'no' ? { residenceTitleAllowsTrade: residence === 'yes' } : {}),
  };
  const changeKinds = listOf(d, 'changeKinds');
  const changesActivity = kind === 'ummeldung' && changeKinds.includes('activity');
  const changesAddress = kind === 'ummeldung' && changeKinds.includes('address');
  const current = activity(d, '');
  const craftAnnex = opt(textOf(d, changesActivity ? 'newcraftAnnex' : 'craftAnnex'));
  const permitStatus = opt(textOf(d, changesActivity ? 'newpermitStatus' : 'permitStatus'));
  return {
    kind,
    legalForm: textOf(d, 'legalForm'),
    ...(opt(textOf(d, 'businessName')) ? { businessName: textOf(d, 'businessName') } : {}),
    ...(d.registered === 'yes'
      ? { register: { type: textOf(d, 'registerType'), number: textOf(d, 'registerNumber'), court: textOf(d, 'registerCourt'), name: textOf(d, 'registeredName') } }
      : {}),
    persons: [person],
    businessAddress: changesAddress ? address(d, 'new') : address(d, 'business'),
    activity: changesActivity ? activity(d, 'new') : current,
    businessType: changesActivity ? listOf(d, 'newbusinessType') : listOf(d, 'businessType'),
    ...(craftAnnex ? { craftAnnex } : {}),
    ...(permitStatus ? { permitStatus } : {}),
    branchType: textOf(d, 'branchType') || 'haupt',
    sideBusiness: d.sideBusiness === 'yes',
    fullTimeStaff: int(textOf(d, 'fullTimeStaff')),
    partTimeStaff: int(textOf(d, 'partTimeStaff')),
    effectiveDate: textOf(d, kind === 'anmeldung' ? 'startDate' : kind === 'ummeldung' ? 'changeDate' : 'endDate'),
    reason: kind === 'anmeldung' ? textOf(d, 'startReason') : kind === 'abmeldung' ? textOf(d, 'endReason') : changeKinds.join(','),
    ...(kind === 'abmeldung' && opt(textOf(d, 'endCause')) ? { cause: textOf(d, 'endCause') } : {}),
    ...(kind === 'ummeldung'
      ? {
          change: {
            kinds: changeKinds,
            ...(changesAddress ? { previousAddress: address(d, 'business') } : {}),
            ...(changesActivity ? { previousActivity: current } : {}),
          },
        }
      : {}),
  };
}

/** "Straße 1, 06108 Halle (Saale)" */
export function formatAddress(a: PostalAddress): string {
  return `${[a.street, a.houseNumber].filter(Boolean).join(' ')}, ${[a.postcode, a.town].filter(Boolean).join(' ')}`;
}

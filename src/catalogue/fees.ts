import type { FeeBreakdown, FormData, RuleContext, ServiceDefinition } from './service-definition.ts';

/**
 * The fee of a case: the service's `fee` rule applied to the answers, or its flat `feeCents`.
 * Callers pass the submission time as `ctx.now`, so the fee of a case is fixed once it is filed
 * (an applicant who turns 24 while the case is open keeps the under-24 fee).
 */
const FLAT_FEE_LABEL = { de: 'Gebühr', en: 'Fee' } as const;

/** Faults of a breakdown: whole, non-negative cents, items that add up to the total, labels in de and en. */
export function feeFaults(fee: FeeBreakdown): string[] {
  const faults: string[] = [];
  const cents = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (!cents(fee.cents)) faults.push(`total ${String(fee.cents)} is not a whole number of cents ≥ 0`);
  if (!Array.isArray(fee.items)) return [...faults, 'items is not a list'];
  for (const [i, item] of fee.items.entries()) {
    if (!cents(item.cents)) faults.push(`item ${i + 1} amount ${String(item.cents)} is not a whole number of cents ≥ 0`);
    if (!item.label?.de?.trim() || !item.label?.en?.trim()) faults.push(`item ${i + 1} needs a label in de and en`);
  }
  const sum = fee.items.reduce((s, i) => s + (Number.isInteger(i.cents) ? i.cents : 0), 0);
  if (cents(fee.cents) && sum !== fee.cents) faults.push(`items add up to ${sum}, not to the total ${fee.cents}`);
  if (fee.cents > 0 && fee.items.length === 0) faults.push('a fee above 0 needs at least one item');
  return faults;
}

/** The fee breakdown for these answers; throws when a service's rule returns something malformed. */
export function feeFor(def: ServiceDefinition, data: FormData, ctx: RuleContext): FeeBreakdown {
  if (def.fee) {
    const fee = def.fee(data, ctx);
    const faults = feeFaults(fee);
    if (faults.length > 0) throw new Error(`feeFor: the fee rule of ${def.id} returned a malformed fee: ${faults.join('; ')}`);
    return { cents: fee.cents, items: fee.items.map((i) => ({ label: i.label, cents: i.cents })) };
  }
  return def.feeCents > 0 ? { cents: def.feeCents, items: [{ label: FLAT_FEE_LABEL, cents: def.feeCents }] } : { cents: 0, items: [] };
}

/** "27,60 €" / "€27.60". */
export function formatEuro(cents: number, lang: 'de' | 'en'): string {
  return new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

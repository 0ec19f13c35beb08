import type { CityConfig } from './city.ts';
import type { Lang, ServiceDefinition } from './service-definition.ts';

/** The services a city offers, with the city's overrides applied. Read-only after start-up. */
export class Catalogue {
  private readonly byId: ReadonlyMap<string, ServiceDefinition>;

  constructor(
    defs: readonly ServiceDefinition[],
    readonly city: CityConfig,
  ) {
    this.byId = new Map(
      defs
        .filter((d) => city.services[d.id]?.enabled !== false)
        .map((d) => [d.id, { ...d, receivingDepartment: city.services[d.id]?.receivingDepartment ?? d.receivingDepartment }]),
    );
  }

  get(id: string): ServiceDefinition | undefined {
    return this.byId.get(id);
  }

  all(): ServiceDefinition[] {
    return [...this.byId.values()];
  }

  /**
   * Case- and accent-insensitive search over title, summary and everyday keywords. Every word
   * must appear somewhere; a service whose keyword or title carries a word ranks above one that
   * only mentions it in its summary, and an early keyword above a late one ("umziehen": the registration of the new address before the
   * moving van's parking zone).
   */
  search(query: string, lang: Lang): ServiceDefinition[] {
    const words = normalise(query).split(/\s+/).filter(Boolean);
    if (words.length === 0) return this.all().sort((a, b) => a.title[lang].localeCompare(b.title[lang], lang));
    return this.all()
      .map((def) => {
        const keywords = def.keywords.map(normalise);
        const title = normalise(`${def.title.de} ${def.title.en}`);
        const summary = normalise(`${def.summary.de} ${def.summary.en}`);
        let score = 0;
        let found = 0;
        for (const w of words) {
          // Keywords are listed most telling first: an exact one counts 4 plus a little for its place.
          const exact = keywords.findIndex((k) => k === w || k.split(/\s+/).includes(w));
          const weight = exact >= 0 ? 4 + 1 / (1 + exact) : keywords.some((k) => k.includes(w)) ? 3 : title.includes(w) ? 2 : summary.includes(w) ? 1 : 0;
          if (weight > 0) found++;
          score += weight;
        }
        // A keyword phrase that is the whole query ("ausweis verloren") counts once more.
        if (words.length > 1 && keywords.includes(words.join(' '))) score += 4;
        return { def, score, found };
      })
      .filter((r) => r.found === words.length)
      .sort((a, b) => b.score - a.score || a.def.title[lang].localeCompare(b.def.title[lang], lang))
      .map((r) => r.def);
  }
}

function normalise(s: string): string {
  return s
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9\s]/g, ' ');
}

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

  /** Case- and accent-insensitive search over title, summary and everyday keywords. */
  search(query: string, lang: Lang): ServiceDefinition[] {
    const words = normalise(query).split(/\s+/).filter(Boolean);
    if (words.length === 0) return this.all().sort((a, b) => a.title[lang].localeCompare(b.title[lang], lang));
    return this.all()
      .map((def) => {
        const hay = normalise([def.title.de, def.title.en, def.summary.de, def.summary.en, ...def.keywords].join(' '));
        const score = words.filter((w) => hay.includes(w)).length;
        return { def, score };
      })
      .filter((r) => r.score === words.length)
      .sort((a, b) => b.score - a.score || a.def.title[lang].localeCompare(b.def.title[lang], lang))
      .map((r) => r.def);
  }
}

export function normalise(s: string): string {
  return s
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9\s]/g, ' ');
}

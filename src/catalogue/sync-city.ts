import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { CityConfig } from './city.ts';

/** Makes the departments table match the city configuration (insert or rename; never deletes). */
export async function syncDepartments(db: Kysely<Database>, city: CityConfig): Promise<void> {
  for (const d of city.departments) {
    await db
      .insertInto('departments')
      .values({ id: d.id, name_de: d.name.de, name_en: d.name.en })
      .onConflict((oc) => oc.column('id').doUpdateSet({ name_de: d.name.de, name_en: d.name.en }))
      .execute();
  }
}

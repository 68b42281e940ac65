import type { ObjectLiteral, Repository } from 'typeorm';

/**
 * `repository.findOneBy({ [property]: value })` with its SQL written once, for the
 * look-ups that every signed-in request makes. TypeORM's query builder writes the SELECT
 * anew on each call and maps its aliased columns back, which costs several times what
 * the database spends answering it. The SQL and the entity come from the entity's own
 * metadata (its columns, the driver's quoting and type conversions), so the entity stays
 * the one source of the schema; like findOneBy, it loads no relations.
 */
export function lookupBy<Entity extends ObjectLiteral>(
  repository: Repository<Entity>,
  property: keyof Entity & string,
): (value: unknown) => Promise<Entity | null> {
  const { metadata, manager } = repository;
  const { driver } = manager.connection;
  const key = metadata.findColumnWithPropertyName(property);
  if (key === undefined) throw new Error(`${metadata.name} has no column ${property}`);
  const { columns } = metadata;
  const sql =
    `SELECT ${columns.map((column) => driver.escape(column.databaseName)).join(', ')}` +
    ` FROM ${driver.escape(metadata.tableName)}` +
    ` WHERE ${driver.escape(key.databaseName)} = ${driver.createParameter(property, 0)} LIMIT 1`;
  return async (value) => {
    const [row] = await manager.query<Array<Record<string, unknown>>>(sql, [value]);
    if (row === undefined) return null;
    const entity = metadata.create() as Entity;
    for (const column of columns) {
      column.setEntityValue(entity, driver.prepareHydratedValue(row[column.databaseName], column));
    }
    return entity;
  };
}

import { type MigrationInterface, type QueryRunner, Table, TableForeignKey } from 'typeorm';

/** Users, items and refresh tokens. Written with TypeORM's schema API so it runs on SQLite and PostgreSQL. */
export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const uuid = postgres ? { type: 'uuid' } : { type: 'varchar', length: '36' };
    const timestamp = postgres ? 'timestamptz' : 'datetime';

    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', ...uuid, isPrimary: true },
          { name: 'email', type: 'varchar', length: '320', isUnique: true },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'full_name', type: 'varchar', length: '200', isNullable: true },
          { name: 'role', type: 'varchar', length: '16', default: "'user'" },
          { name: 'is_active', type: 'boolean', default: true },
          { name: 'created_at', type: timestamp },
        ],
        indices: [{ columnNames: ['created_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'items',
        columns: [
          { name: 'id', ...uuid, isPrimary: true },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'description', type: 'varchar', length: '2000', isNullable: true },
          { name: 'owner_id', ...uuid },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
        indices: [{ columnNames: ['owner_id', 'created_at'] }],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['owner_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          { name: 'jti', ...uuid, isPrimary: true },
          { name: 'user_id', ...uuid },
          { name: 'expires_at', type: timestamp },
          { name: 'revoked_at', type: timestamp, isNullable: true },
          { name: 'created_at', type: timestamp },
        ],
        indices: [{ columnNames: ['user_id'] }],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('refresh_tokens');
    await queryRunner.dropTable('items');
    await queryRunner.dropTable('users');
  }
}

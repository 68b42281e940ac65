import {
  type MigrationInterface,
  type QueryRunner,
  Table,
  TableColumn,
  TableForeignKey,
} from 'typeorm';

/**
 * Account email: `users.email_verified` (false on existing rows) and `email_tokens`, the
 * password reset and verification links by the SHA-256 of their tokens.
 */
export class AccountEmail1765000000000 implements MigrationInterface {
  name = 'AccountEmail1765000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const uuid = postgres ? { type: 'uuid' } : { type: 'varchar', length: '36' };
    const timestamp = postgres ? 'timestamptz' : 'datetime';

    await queryRunner.addColumn(
      'users',
      new TableColumn({ name: 'email_verified', type: 'boolean', default: false }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'email_tokens',
        columns: [
          { name: 'token_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', ...uuid },
          { name: 'purpose', type: 'varchar', length: '32' },
          { name: 'email', type: 'varchar', length: '320' },
          { name: 'expires_at', type: timestamp },
          { name: 'created_at', type: timestamp },
          { name: 'used_at', type: timestamp, isNullable: true },
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
    await queryRunner.dropTable('email_tokens');
    await queryRunner.dropColumn('users', 'email_verified');
  }
}

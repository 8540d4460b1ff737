import { Migration } from '@mikro-orm/migrations';

/** Session generations: a token carries its user's generation; ending sessions adds one (exact revocation). */
export class Migration20261129213801 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "users" add column "session_generation" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "users" drop column "session_generation";`);
  }

}

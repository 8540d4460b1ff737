import { Migration } from '@mikro-orm/migrations';

/** Session generations: a token carries its user's generation; ending sessions adds one (exact revocation). */
export class Migration20261129213800 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`users\` add column \`session_generation\` integer not null default 0;`);
  }

}

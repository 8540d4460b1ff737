import { Migration } from '@mikro-orm/migrations';

/** Screen tokens (written by hand: MikroORM's SQLite differ rebuilds unrelated tables). */
export class Migration20261123070659 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`screen_tokens\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`label\` text not null, \`token_hash\` text not null, \`created_by_id\` text not null, \`last_used_at\` datetime null, \`revoked_at\` datetime null, constraint \`screen_tokens_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, constraint \`screen_tokens_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`screen_tokens_city_id_index\` on \`screen_tokens\` (\`city_id\`);`);
    this.addSql(`create index \`screen_tokens_created_by_id_index\` on \`screen_tokens\` (\`created_by_id\`);`);
  }

}

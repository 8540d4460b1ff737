import { Migration } from '@mikro-orm/migrations';

export class Migration20261123070659 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "screen_tokens" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "label" varchar(200) not null, "token_hash" varchar(64) not null, "created_by_id" varchar(36) not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "screen_tokens_pkey" primary key ("id"));`);
    this.addSql(`create index "screen_tokens_city_id_index" on "screen_tokens" ("city_id");`);

    this.addSql(`alter table "screen_tokens" add constraint "screen_tokens_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
    this.addSql(`alter table "screen_tokens" add constraint "screen_tokens_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "screen_tokens" cascade;`);
  }

}

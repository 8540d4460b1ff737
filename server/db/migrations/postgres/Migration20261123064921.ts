import { Migration } from '@mikro-orm/migrations';

export class Migration20261123064921 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "city_events" ("id" varchar(36) not null, "city_id" varchar(36) not null, "seq" int not null, "kind" varchar(60) not null, "entity" varchar(60) not null, "entity_id" varchar(36) not null, "action_plan_id" varchar(36) null, "at" timestamptz not null, constraint "city_events_pkey" primary key ("id"));`);
    this.addSql(`create index "city_events_city_id_index" on "city_events" ("city_id");`);
    this.addSql(`alter table "city_events" add constraint "city_events_city_id_seq_unique" unique ("city_id", "seq");`);

    this.addSql(`create table "city_sequences" ("city_id" varchar(36) not null, "seq" int not null default 0, constraint "city_sequences_pkey" primary key ("city_id"));`);

    this.addSql(`alter table "city_events" add constraint "city_events_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "city_events" cascade;`);

    this.addSql(`drop table if exists "city_sequences" cascade;`);
  }

}

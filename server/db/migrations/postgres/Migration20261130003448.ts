import { Migration } from '@mikro-orm/migrations';

/** Issue 11 §5–7: programme events with owners and deliverables (new activity kinds), the risk register, cross-index tags. */
export class Migration20261130003448 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "risks" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "program_id" varchar(36) not null, "description" text not null, "likelihood" int not null, "impact" int not null, "mitigation" text null, "owner_opd_id" varchar(36) null, "status" text check ("status" in ('OPEN', 'MITIGATED', 'ACCEPTED', 'CLOSED')) not null, constraint "risks_pkey" primary key ("id"));`);
    this.addSql(`create index "risks_city_id_index" on "risks" ("city_id");`);
    this.addSql(`create index "risks_program_id_index" on "risks" ("program_id");`);

    this.addSql(`create table "tag_catalogs" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "code" varchar(40) not null, "name" varchar(200) not null, "description" text null, constraint "tag_catalogs_pkey" primary key ("id"));`);
    this.addSql(`alter table "tag_catalogs" add constraint "tag_catalogs_code_unique" unique ("code");`);

    this.addSql(`create table "tags" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "catalog_id" varchar(36) not null, "code" varchar(40) not null, "name" varchar(300) not null, constraint "tags_pkey" primary key ("id"));`);
    this.addSql(`alter table "tags" add constraint "tags_catalog_id_code_unique" unique ("catalog_id", "code");`);

    this.addSql(`create table "indicator_tags" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "indicator_id" varchar(36) not null, "tag_id" varchar(36) not null, constraint "indicator_tags_pkey" primary key ("id"));`);
    this.addSql(`create index "indicator_tags_city_id_index" on "indicator_tags" ("city_id");`);
    this.addSql(`create index "indicator_tags_tag_id_index" on "indicator_tags" ("tag_id");`);
    this.addSql(`alter table "indicator_tags" add constraint "indicator_tags_indicator_id_tag_id_unique" unique ("indicator_id", "tag_id");`);

    this.addSql(`create table "action_plan_tags" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "action_plan_id" varchar(36) not null, "tag_id" varchar(36) not null, constraint "action_plan_tags_pkey" primary key ("id"));`);
    this.addSql(`create index "action_plan_tags_city_id_index" on "action_plan_tags" ("city_id");`);
    this.addSql(`create index "action_plan_tags_tag_id_index" on "action_plan_tags" ("tag_id");`);
    this.addSql(`alter table "action_plan_tags" add constraint "action_plan_tags_action_plan_id_tag_id_unique" unique ("action_plan_id", "tag_id");`);

    this.addSql(`alter table "risks" add constraint "risks_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
    this.addSql(`alter table "risks" add constraint "risks_program_id_foreign" foreign key ("program_id") references "programs" ("id") on update cascade;`);
    this.addSql(`alter table "risks" add constraint "risks_owner_opd_id_foreign" foreign key ("owner_opd_id") references "opds" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "tags" add constraint "tags_catalog_id_foreign" foreign key ("catalog_id") references "tag_catalogs" ("id") on update cascade;`);

    this.addSql(`alter table "indicator_tags" add constraint "indicator_tags_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
    this.addSql(`alter table "indicator_tags" add constraint "indicator_tags_indicator_id_foreign" foreign key ("indicator_id") references "indicators" ("id") on update cascade;`);
    this.addSql(`alter table "indicator_tags" add constraint "indicator_tags_tag_id_foreign" foreign key ("tag_id") references "tags" ("id") on update cascade;`);

    this.addSql(`alter table "action_plan_tags" add constraint "action_plan_tags_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
    this.addSql(`alter table "action_plan_tags" add constraint "action_plan_tags_action_plan_id_foreign" foreign key ("action_plan_id") references "action_plans" ("id") on update cascade;`);
    this.addSql(`alter table "action_plan_tags" add constraint "action_plan_tags_tag_id_foreign" foreign key ("tag_id") references "tags" ("id") on update cascade;`);

    this.addSql(`alter table "activities" drop constraint if exists "activities_kind_check";`);

    this.addSql(`alter table "evaluation_visits" add column "owner_opd_id" varchar(36) null, add column "owner_name" varchar(200) null, add column "deliverables" jsonb not null default '[]';`);
    this.addSql(`alter table "evaluation_visits" add constraint "evaluation_visits_owner_opd_id_foreign" foreign key ("owner_opd_id") references "opds" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "activities" add column "owner_opd_id" varchar(36) null, add column "owner_name" varchar(200) null, add column "deliverables" jsonb not null default '[]';`);
    this.addSql(`alter table "activities" add constraint "activities_owner_opd_id_foreign" foreign key ("owner_opd_id") references "opds" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "activities" add constraint "activities_kind_check" check("kind" in ('BIMTEK', 'MOU_SIGNING', 'MEETING', 'PRESENTATION', 'MASTERPLAN_DEADLINE', 'YEARLY_REVIEW', 'OTHER'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "tags" drop constraint "tags_catalog_id_foreign";`);

    this.addSql(`alter table "indicator_tags" drop constraint "indicator_tags_tag_id_foreign";`);

    this.addSql(`alter table "action_plan_tags" drop constraint "action_plan_tags_tag_id_foreign";`);

    this.addSql(`drop table if exists "risks" cascade;`);

    this.addSql(`drop table if exists "tag_catalogs" cascade;`);

    this.addSql(`drop table if exists "tags" cascade;`);

    this.addSql(`drop table if exists "indicator_tags" cascade;`);

    this.addSql(`drop table if exists "action_plan_tags" cascade;`);

    this.addSql(`alter table "activities" drop constraint if exists "activities_kind_check";`);

    this.addSql(`alter table "activities" drop constraint "activities_owner_opd_id_foreign";`);

    this.addSql(`alter table "evaluation_visits" drop constraint "evaluation_visits_owner_opd_id_foreign";`);

    this.addSql(`alter table "activities" drop column "owner_opd_id", drop column "owner_name", drop column "deliverables";`);

    this.addSql(`alter table "activities" add constraint "activities_kind_check" check("kind" in ('BIMTEK', 'MOU_SIGNING', 'MEETING', 'PRESENTATION', 'OTHER'));`);

    this.addSql(`alter table "evaluation_visits" drop column "owner_opd_id", drop column "owner_name", drop column "deliverables";`);
  }

}

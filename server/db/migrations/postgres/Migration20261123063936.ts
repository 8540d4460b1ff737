import { Migration } from '@mikro-orm/migrations';

export class Migration20261123063936 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "audit_log" ("id" varchar(36) not null, "at" timestamptz not null, "city_id" varchar(36) null, "actor_id" varchar(36) null, "actor_name" varchar(500) null, "action" text check ("action" in ('CREATE', 'UPDATE', 'ARCHIVE')) not null, "entity" varchar(60) not null, "entity_id" varchar(36) not null, "changes" jsonb not null, "request_id" varchar(64) null, constraint "audit_log_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_log_city_id_id_index" on "audit_log" ("city_id", "id");`);

    this.addSql(`alter table "audit_log" add constraint "audit_log_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "audit_log" add constraint "audit_log_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "users" add column "evaluator_city_ids" jsonb not null default '[]', add column "sessions_valid_after" timestamptz null;`);

    this.addSql(`alter table "progress_reports" add column "status" text check ("status" in ('SUBMITTED', 'VERIFIED', 'RETURNED')) not null default 'SUBMITTED', add column "review_comment" text null, add column "reviewed_by_id" varchar(36) null, add column "reviewed_at" timestamptz null;`);
    this.addSql(`alter table "progress_reports" add constraint "progress_reports_reviewed_by_id_foreign" foreign key ("reviewed_by_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`create index "progress_reports_city_id_status_index" on "progress_reports" ("city_id", "status");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "audit_log" cascade;`);

    this.addSql(`alter table "progress_reports" drop constraint "progress_reports_reviewed_by_id_foreign";`);

    this.addSql(`drop index "progress_reports_city_id_status_index";`);
    this.addSql(`alter table "progress_reports" drop column "status", drop column "review_comment", drop column "reviewed_by_id", drop column "reviewed_at";`);

    this.addSql(`alter table "users" drop column "evaluator_city_ids", drop column "sessions_valid_after";`);
  }

}

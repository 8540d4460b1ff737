import { Migration } from '@mikro-orm/migrations';

/** Monev (issue 11): evaluation frameworks and rubric items, self-assessments, assessor scores, evidence, uploaded blobs. */

export class Migration20261130003328 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "evaluation_frameworks" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "year" int not null, "revision" int not null default 1, "name" varchar(300) not null, "publish_date" date not null, "scale_min" int not null default 0, "scale_max" int not null default 4, "weights" jsonb not null, "previous_id" varchar(36) null, constraint "evaluation_frameworks_pkey" primary key ("id"));`);
    this.addSql(`alter table "evaluation_frameworks" add constraint "evaluation_frameworks_year_revision_unique" unique ("year", "revision");`);

    this.addSql(`create table "evidence_blobs" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "sha256" varchar(64) not null, "size" int not null, "content_type" varchar(120) not null, "data" bytea null, constraint "evidence_blobs_pkey" primary key ("id"));`);
    this.addSql(`create index "evidence_blobs_city_id_index" on "evidence_blobs" ("city_id");`);
    this.addSql(`alter table "evidence_blobs" add constraint "evidence_blobs_city_id_sha256_unique" unique ("city_id", "sha256");`);

    this.addSql(`create table "rubric_items" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "framework_id" varchar(36) not null, "code" varchar(40) not null, "question" text not null, "expected_evidence" text not null, "dimension" text check ("dimension" in ('BASELINE', 'OUTPUT', 'OUTCOME', 'IMPACT', 'QUICK_WIN')) not null, "smart_city_dimension" text check ("smart_city_dimension" in ('GOVERNANCE', 'BRANDING', 'ECONOMY', 'LIVING', 'SOCIETY', 'ENVIRONMENT')) null, "weight" double precision not null default 1, "supplier_hint" varchar(200) null, "position" int not null default 0, constraint "rubric_items_pkey" primary key ("id"));`);
    this.addSql(`create index "rubric_items_framework_id_index" on "rubric_items" ("framework_id");`);
    this.addSql(`alter table "rubric_items" add constraint "rubric_items_framework_id_code_unique" unique ("framework_id", "code");`);

    this.addSql(`create table "self_assessments" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "framework_id" varchar(36) not null, "year" int not null, "status" text check ("status" in ('DRAFT', 'SUBMITTED')) not null, "submitted_at" timestamptz null, "submitted_by_id" varchar(36) null, constraint "self_assessments_pkey" primary key ("id"));`);
    this.addSql(`create index "self_assessments_city_id_index" on "self_assessments" ("city_id");`);
    this.addSql(`create index "self_assessments_framework_id_index" on "self_assessments" ("framework_id");`);
    this.addSql(`alter table "self_assessments" add constraint "self_assessments_city_id_framework_id_unique" unique ("city_id", "framework_id");`);

    this.addSql(`create table "assessment_items" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "assessment_id" varchar(36) not null, "rubric_item_id" varchar(36) not null, "score" double precision null, "narrative" text null, "responsible_opd_id" varchar(36) null, "scored_at" timestamptz null, constraint "assessment_items_pkey" primary key ("id"));`);
    this.addSql(`create index "assessment_items_city_id_index" on "assessment_items" ("city_id");`);
    this.addSql(`create index "assessment_items_assessment_id_index" on "assessment_items" ("assessment_id");`);
    this.addSql(`alter table "assessment_items" add constraint "assessment_items_assessment_id_rubric_item_id_unique" unique ("assessment_id", "rubric_item_id");`);

    this.addSql(`create table "assessment_item_quick_wins" ("assessment_item_id" varchar(36) not null, "program_id" varchar(36) not null, constraint "assessment_item_quick_wins_pkey" primary key ("assessment_item_id", "program_id"));`);

    this.addSql(`create table "assessment_item_action_plans" ("assessment_item_id" varchar(36) not null, "action_plan_id" varchar(36) not null, constraint "assessment_item_action_plans_pkey" primary key ("assessment_item_id", "action_plan_id"));`);

    this.addSql(`create table "evidence" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "kind" text check ("kind" in ('FILE', 'LINK')) not null, "title" varchar(255) not null, "url" varchar(2000) null, "blob_id" varchar(36) null, "content_type" varchar(120) null, "size" int null, "sha256" varchar(64) null, "supplied_by_id" varchar(36) null, "supplier_name" varchar(300) not null, "supplier_opd_id" varchar(36) null, "supplied_at" timestamptz not null, constraint "evidence_pkey" primary key ("id"));`);
    this.addSql(`create index "evidence_city_id_index" on "evidence" ("city_id");`);

    this.addSql(`create table "evidence_attachments" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "evidence_id" varchar(36) not null, "assessment_item_id" varchar(36) null, "action_plan_id" varchar(36) null, "progress_report_id" varchar(36) null, "attached_by_id" varchar(36) null, "attached_at" timestamptz not null, constraint "evidence_attachments_pkey" primary key ("id"));`);
    this.addSql(`create index "evidence_attachments_city_id_index" on "evidence_attachments" ("city_id");`);
    this.addSql(`create index "evidence_attachments_evidence_id_index" on "evidence_attachments" ("evidence_id");`);
    this.addSql(`create index "evidence_attachments_assessment_item_id_index" on "evidence_attachments" ("assessment_item_id");`);
    this.addSql(`create index "evidence_attachments_action_plan_id_index" on "evidence_attachments" ("action_plan_id");`);
    this.addSql(`create index "evidence_attachments_progress_report_id_index" on "evidence_attachments" ("progress_report_id");`);

    this.addSql(`create table "assessor_scores" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "assessment_id" varchar(36) not null, "assessment_item_id" varchar(36) not null, "score" double precision not null, "notes" text null, "assessor_id" varchar(36) null, "recorded_at" timestamptz not null, constraint "assessor_scores_pkey" primary key ("id"));`);
    this.addSql(`create index "assessor_scores_city_id_index" on "assessor_scores" ("city_id");`);
    this.addSql(`create index "assessor_scores_assessment_id_index" on "assessor_scores" ("assessment_id");`);
    this.addSql(`alter table "assessor_scores" add constraint "assessor_scores_assessment_item_id_unique" unique ("assessment_item_id");`);

    this.addSql(`alter table "evaluation_frameworks" add constraint "evaluation_frameworks_previous_id_foreign" foreign key ("previous_id") references "evaluation_frameworks" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "evidence_blobs" add constraint "evidence_blobs_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);

    this.addSql(`alter table "rubric_items" add constraint "rubric_items_framework_id_foreign" foreign key ("framework_id") references "evaluation_frameworks" ("id") on update cascade;`);

    this.addSql(`alter table "self_assessments" add constraint "self_assessments_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
    this.addSql(`alter table "self_assessments" add constraint "self_assessments_framework_id_foreign" foreign key ("framework_id") references "evaluation_frameworks" ("id") on update cascade;`);
    this.addSql(`alter table "self_assessments" add constraint "self_assessments_submitted_by_id_foreign" foreign key ("submitted_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "assessment_items" add constraint "assessment_items_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
    this.addSql(`alter table "assessment_items" add constraint "assessment_items_assessment_id_foreign" foreign key ("assessment_id") references "self_assessments" ("id") on update cascade;`);
    this.addSql(`alter table "assessment_items" add constraint "assessment_items_rubric_item_id_foreign" foreign key ("rubric_item_id") references "rubric_items" ("id") on update cascade;`);
    this.addSql(`alter table "assessment_items" add constraint "assessment_items_responsible_opd_id_foreign" foreign key ("responsible_opd_id") references "opds" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "assessment_item_quick_wins" add constraint "assessment_item_quick_wins_assessment_item_id_foreign" foreign key ("assessment_item_id") references "assessment_items" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "assessment_item_quick_wins" add constraint "assessment_item_quick_wins_program_id_foreign" foreign key ("program_id") references "programs" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "assessment_item_action_plans" add constraint "assessment_item_action_plans_assessment_item_id_foreign" foreign key ("assessment_item_id") references "assessment_items" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "assessment_item_action_plans" add constraint "assessment_item_action_plans_action_plan_id_foreign" foreign key ("action_plan_id") references "action_plans" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "evidence" add constraint "evidence_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
    this.addSql(`alter table "evidence" add constraint "evidence_blob_id_foreign" foreign key ("blob_id") references "evidence_blobs" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "evidence" add constraint "evidence_supplied_by_id_foreign" foreign key ("supplied_by_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "evidence" add constraint "evidence_supplier_opd_id_foreign" foreign key ("supplier_opd_id") references "opds" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "evidence_attachments" add constraint "evidence_attachments_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
    this.addSql(`alter table "evidence_attachments" add constraint "evidence_attachments_evidence_id_foreign" foreign key ("evidence_id") references "evidence" ("id") on update cascade;`);
    this.addSql(`alter table "evidence_attachments" add constraint "evidence_attachments_assessment_item_id_foreign" foreign key ("assessment_item_id") references "assessment_items" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "evidence_attachments" add constraint "evidence_attachments_action_plan_id_foreign" foreign key ("action_plan_id") references "action_plans" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "evidence_attachments" add constraint "evidence_attachments_progress_report_id_foreign" foreign key ("progress_report_id") references "progress_reports" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "evidence_attachments" add constraint "evidence_attachments_attached_by_id_foreign" foreign key ("attached_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "assessor_scores" add constraint "assessor_scores_assessment_item_id_foreign" foreign key ("assessment_item_id") references "assessment_items" ("id") on update cascade;`);
    this.addSql(`alter table "assessor_scores" add constraint "assessor_scores_assessor_id_foreign" foreign key ("assessor_id") references "users" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "evaluation_frameworks" drop constraint "evaluation_frameworks_previous_id_foreign";`);

    this.addSql(`alter table "rubric_items" drop constraint "rubric_items_framework_id_foreign";`);

    this.addSql(`alter table "self_assessments" drop constraint "self_assessments_framework_id_foreign";`);

    this.addSql(`alter table "evidence" drop constraint "evidence_blob_id_foreign";`);

    this.addSql(`alter table "assessment_items" drop constraint "assessment_items_rubric_item_id_foreign";`);

    this.addSql(`alter table "assessment_items" drop constraint "assessment_items_assessment_id_foreign";`);

    this.addSql(`alter table "assessment_item_quick_wins" drop constraint "assessment_item_quick_wins_assessment_item_id_foreign";`);

    this.addSql(`alter table "assessment_item_action_plans" drop constraint "assessment_item_action_plans_assessment_item_id_foreign";`);

    this.addSql(`alter table "evidence_attachments" drop constraint "evidence_attachments_assessment_item_id_foreign";`);

    this.addSql(`alter table "assessor_scores" drop constraint "assessor_scores_assessment_item_id_foreign";`);

    this.addSql(`alter table "evidence_attachments" drop constraint "evidence_attachments_evidence_id_foreign";`);

    this.addSql(`drop table if exists "evaluation_frameworks" cascade;`);

    this.addSql(`drop table if exists "evidence_blobs" cascade;`);

    this.addSql(`drop table if exists "rubric_items" cascade;`);

    this.addSql(`drop table if exists "self_assessments" cascade;`);

    this.addSql(`drop table if exists "assessment_items" cascade;`);

    this.addSql(`drop table if exists "assessment_item_quick_wins" cascade;`);

    this.addSql(`drop table if exists "assessment_item_action_plans" cascade;`);

    this.addSql(`drop table if exists "evidence" cascade;`);

    this.addSql(`drop table if exists "evidence_attachments" cascade;`);

    this.addSql(`drop table if exists "assessor_scores" cascade;`);
  }

}

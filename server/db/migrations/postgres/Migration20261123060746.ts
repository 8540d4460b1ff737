import { Migration } from '@mikro-orm/migrations';

export class Migration20261123060746 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "cities" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "name" varchar(120) not null, "kind" text check ("kind" in ('KOTA', 'KABUPATEN')) not null default 'KOTA', "province" varchar(120) not null, "joined_year" int null, "time_zone" varchar(64) not null default 'Asia/Jakarta', constraint "cities_pkey" primary key ("id"));`);
    this.addSql(`alter table "cities" add constraint "cities_name_unique" unique ("name");`);

    this.addSql(`create table "activities" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "kind" text check ("kind" in ('BIMTEK', 'MOU_SIGNING', 'MEETING', 'PRESENTATION', 'OTHER')) not null, "title" varchar(300) not null, "phase" int null, "start_date" date not null, "end_date" date not null, "place" varchar(300) null, "outcome" text null, constraint "activities_pkey" primary key ("id"));`);
    this.addSql(`create index "activities_city_id_index" on "activities" ("city_id");`);

    this.addSql(`create table "councils" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "name" varchar(200) not null, "decree_number" varchar(120) null, "decree_date" date null, constraint "councils_pkey" primary key ("id"));`);
    this.addSql(`create index "councils_city_id_index" on "councils" ("city_id");`);

    this.addSql(`create table "council_members" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "council_id" varchar(36) not null, "name" varchar(200) not null, "position" varchar(200) not null, "organisation" varchar(200) null, "category" text check ("category" in ('GOVERNMENT', 'UNIVERSITY', 'FKPD', 'COMMUNITY', 'PRIVATE')) not null, constraint "council_members_pkey" primary key ("id"));`);
    this.addSql(`create index "council_members_city_id_index" on "council_members" ("city_id");`);
    this.addSql(`create index "council_members_council_id_index" on "council_members" ("council_id");`);

    this.addSql(`create table "evaluation_visits" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "year" int not null, "start_date" date not null, "end_date" date not null, "evaluator" varchar(300) not null, "agenda" text null, constraint "evaluation_visits_pkey" primary key ("id"));`);
    this.addSql(`create index "evaluation_visits_city_id_index" on "evaluation_visits" ("city_id");`);

    this.addSql(`create table "masterplans" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "title" varchar(300) not null, "start_year" int not null, "end_year" int not null, "vision" text null, constraint "masterplans_pkey" primary key ("id"));`);
    this.addSql(`create index "masterplans_city_id_index" on "masterplans" ("city_id");`);

    this.addSql(`create table "opds" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "name" varchar(200) not null, "abbreviation" varchar(40) not null, "head" varchar(200) null, "leading_sector" boolean not null default false, constraint "opds_pkey" primary key ("id"));`);
    this.addSql(`create index "opds_city_id_index" on "opds" ("city_id");`);
    this.addSql(`alter table "opds" add constraint "opds_city_id_name_unique" unique ("city_id", "name");`);

    this.addSql(`create table "programs" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "masterplan_id" varchar(36) not null, "name" varchar(300) not null, "description" text null, "dimension" text check ("dimension" in ('GOVERNANCE', 'BRANDING', 'ECONOMY', 'LIVING', 'SOCIETY', 'ENVIRONMENT')) not null, "quick_win" boolean not null, "quick_win_year" int null, constraint "programs_pkey" primary key ("id"));`);
    this.addSql(`create index "programs_city_id_index" on "programs" ("city_id");`);
    this.addSql(`create index "programs_masterplan_id_index" on "programs" ("masterplan_id");`);

    this.addSql(`create table "action_plans" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "program_id" varchar(36) not null, "owner_opd_id" varchar(36) not null, "code" varchar(40) null, "title" varchar(300) not null, "description" text null, "dimension" text check ("dimension" in ('GOVERNANCE', 'BRANDING', 'ECONOMY', 'LIVING', 'SOCIETY', 'ENVIRONMENT')) not null, "start_date" date not null, "due_date" date not null, "budget_amount" bigint null, "budget_source" text check ("budget_source" in ('APBD', 'APBD_PROVINSI', 'APBN', 'DAK', 'CSR', 'SWASTA', 'LAINNYA')) null, "status" text check ("status" in ('ACTIVE', 'ON_HOLD', 'CANCELLED')) not null, "weight" double precision not null, "progress" double precision not null, "last_reported_at" timestamptz null, constraint "action_plans_pkey" primary key ("id"));`);
    this.addSql(`create index "action_plans_city_id_index" on "action_plans" ("city_id");`);
    this.addSql(`create index "action_plans_program_id_index" on "action_plans" ("program_id");`);
    this.addSql(`create index "action_plans_owner_opd_id_index" on "action_plans" ("owner_opd_id");`);
    this.addSql(`create index "action_plans_city_id_due_date_index" on "action_plans" ("city_id", "due_date");`);

    this.addSql(`create table "milestones" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "action_plan_id" varchar(36) not null, "title" varchar(300) not null, "due_date" date not null, "done_date" date null, constraint "milestones_pkey" primary key ("id"));`);
    this.addSql(`create index "milestones_city_id_index" on "milestones" ("city_id");`);
    this.addSql(`create index "milestones_action_plan_id_index" on "milestones" ("action_plan_id");`);

    this.addSql(`create table "indicators" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "action_plan_id" varchar(36) not null, "name" varchar(300) not null, "unit" varchar(60) not null, "baseline" double precision not null, "target" double precision not null, "direction" text check ("direction" in ('INCREASE', 'DECREASE')) not null, constraint "indicators_pkey" primary key ("id"));`);
    this.addSql(`create index "indicators_city_id_index" on "indicators" ("city_id");`);
    this.addSql(`create index "indicators_action_plan_id_index" on "indicators" ("action_plan_id");`);

    this.addSql(`create table "action_plan_supporting_opds" ("action_plan_id" varchar(36) not null, "opd_id" varchar(36) not null, constraint "action_plan_supporting_opds_pkey" primary key ("action_plan_id", "opd_id"));`);

    this.addSql(`create table "teams" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "name" varchar(200) not null, "decree_number" varchar(120) null, "decree_date" date null, constraint "teams_pkey" primary key ("id"));`);
    this.addSql(`create index "teams_city_id_index" on "teams" ("city_id");`);

    this.addSql(`create table "team_members" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "team_id" varchar(36) not null, "name" varchar(200) not null, "position" varchar(200) null, "role" text check ("role" in ('LEADER', 'DEPUTY', 'SECRETARY', 'MEMBER')) not null, "opd_id" varchar(36) null, constraint "team_members_pkey" primary key ("id"));`);
    this.addSql(`create index "team_members_city_id_index" on "team_members" ("city_id");`);
    this.addSql(`create index "team_members_team_id_index" on "team_members" ("team_id");`);

    this.addSql(`create table "users" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "email" varchar(254) not null, "name" varchar(200) not null, "password_hash" varchar(255) not null, "role" text check ("role" in ('PLATFORM_ADMIN', 'CITY_ADMIN', 'OPD_REPORTER', 'VIEWER', 'EVALUATOR')) not null, "city_id" varchar(36) null, "opd_id" varchar(36) null, constraint "users_pkey" primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);

    this.addSql(`create table "progress_reports" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "action_plan_id" varchar(36) not null, "percent" double precision not null, "narrative" text not null, "obstacles" text null, "evidence_urls" jsonb not null, "reporter_id" varchar(36) null, "reported_at" timestamptz not null, constraint "progress_reports_pkey" primary key ("id"));`);
    this.addSql(`create index "progress_reports_city_id_index" on "progress_reports" ("city_id");`);
    this.addSql(`create index "progress_reports_action_plan_id_reported_at_index" on "progress_reports" ("action_plan_id", "reported_at");`);

    this.addSql(`create table "indicator_values" ("id" varchar(36) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "archived_at" timestamptz null, "city_id" varchar(36) not null, "indicator_id" varchar(36) not null, "period" varchar(10) not null, "value" double precision not null, "note" text null, "reported_by_id" varchar(36) null, constraint "indicator_values_pkey" primary key ("id"));`);
    this.addSql(`create index "indicator_values_city_id_index" on "indicator_values" ("city_id");`);
    this.addSql(`create index "indicator_values_indicator_id_index" on "indicator_values" ("indicator_id");`);
    this.addSql(`alter table "indicator_values" add constraint "indicator_values_indicator_id_period_unique" unique ("indicator_id", "period");`);

    this.addSql(`alter table "activities" add constraint "activities_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);

    this.addSql(`alter table "councils" add constraint "councils_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);

    this.addSql(`alter table "council_members" add constraint "council_members_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
    this.addSql(`alter table "council_members" add constraint "council_members_council_id_foreign" foreign key ("council_id") references "councils" ("id") on update cascade;`);

    this.addSql(`alter table "evaluation_visits" add constraint "evaluation_visits_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);

    this.addSql(`alter table "masterplans" add constraint "masterplans_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);

    this.addSql(`alter table "opds" add constraint "opds_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);

    this.addSql(`alter table "programs" add constraint "programs_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
    this.addSql(`alter table "programs" add constraint "programs_masterplan_id_foreign" foreign key ("masterplan_id") references "masterplans" ("id") on update cascade;`);

    this.addSql(`alter table "action_plans" add constraint "action_plans_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
    this.addSql(`alter table "action_plans" add constraint "action_plans_program_id_foreign" foreign key ("program_id") references "programs" ("id") on update cascade;`);
    this.addSql(`alter table "action_plans" add constraint "action_plans_owner_opd_id_foreign" foreign key ("owner_opd_id") references "opds" ("id") on update cascade;`);

    this.addSql(`alter table "milestones" add constraint "milestones_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
    this.addSql(`alter table "milestones" add constraint "milestones_action_plan_id_foreign" foreign key ("action_plan_id") references "action_plans" ("id") on update cascade;`);

    this.addSql(`alter table "indicators" add constraint "indicators_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
    this.addSql(`alter table "indicators" add constraint "indicators_action_plan_id_foreign" foreign key ("action_plan_id") references "action_plans" ("id") on update cascade;`);

    this.addSql(`alter table "action_plan_supporting_opds" add constraint "action_plan_supporting_opds_action_plan_id_foreign" foreign key ("action_plan_id") references "action_plans" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "action_plan_supporting_opds" add constraint "action_plan_supporting_opds_opd_id_foreign" foreign key ("opd_id") references "opds" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "teams" add constraint "teams_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);

    this.addSql(`alter table "team_members" add constraint "team_members_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
    this.addSql(`alter table "team_members" add constraint "team_members_team_id_foreign" foreign key ("team_id") references "teams" ("id") on update cascade;`);
    this.addSql(`alter table "team_members" add constraint "team_members_opd_id_foreign" foreign key ("opd_id") references "opds" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "users" add constraint "users_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "users" add constraint "users_opd_id_foreign" foreign key ("opd_id") references "opds" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "progress_reports" add constraint "progress_reports_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
    this.addSql(`alter table "progress_reports" add constraint "progress_reports_action_plan_id_foreign" foreign key ("action_plan_id") references "action_plans" ("id") on update cascade;`);
    this.addSql(`alter table "progress_reports" add constraint "progress_reports_reporter_id_foreign" foreign key ("reporter_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "indicator_values" add constraint "indicator_values_city_id_foreign" foreign key ("city_id") references "cities" ("id") on update cascade;`);
    this.addSql(`alter table "indicator_values" add constraint "indicator_values_indicator_id_foreign" foreign key ("indicator_id") references "indicators" ("id") on update cascade;`);
    this.addSql(`alter table "indicator_values" add constraint "indicator_values_reported_by_id_foreign" foreign key ("reported_by_id") references "users" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "activities" drop constraint "activities_city_id_foreign";`);

    this.addSql(`alter table "councils" drop constraint "councils_city_id_foreign";`);

    this.addSql(`alter table "council_members" drop constraint "council_members_city_id_foreign";`);

    this.addSql(`alter table "evaluation_visits" drop constraint "evaluation_visits_city_id_foreign";`);

    this.addSql(`alter table "masterplans" drop constraint "masterplans_city_id_foreign";`);

    this.addSql(`alter table "opds" drop constraint "opds_city_id_foreign";`);

    this.addSql(`alter table "programs" drop constraint "programs_city_id_foreign";`);

    this.addSql(`alter table "action_plans" drop constraint "action_plans_city_id_foreign";`);

    this.addSql(`alter table "milestones" drop constraint "milestones_city_id_foreign";`);

    this.addSql(`alter table "indicators" drop constraint "indicators_city_id_foreign";`);

    this.addSql(`alter table "teams" drop constraint "teams_city_id_foreign";`);

    this.addSql(`alter table "team_members" drop constraint "team_members_city_id_foreign";`);

    this.addSql(`alter table "users" drop constraint "users_city_id_foreign";`);

    this.addSql(`alter table "progress_reports" drop constraint "progress_reports_city_id_foreign";`);

    this.addSql(`alter table "indicator_values" drop constraint "indicator_values_city_id_foreign";`);

    this.addSql(`alter table "council_members" drop constraint "council_members_council_id_foreign";`);

    this.addSql(`alter table "programs" drop constraint "programs_masterplan_id_foreign";`);

    this.addSql(`alter table "action_plans" drop constraint "action_plans_owner_opd_id_foreign";`);

    this.addSql(`alter table "action_plan_supporting_opds" drop constraint "action_plan_supporting_opds_opd_id_foreign";`);

    this.addSql(`alter table "team_members" drop constraint "team_members_opd_id_foreign";`);

    this.addSql(`alter table "users" drop constraint "users_opd_id_foreign";`);

    this.addSql(`alter table "action_plans" drop constraint "action_plans_program_id_foreign";`);

    this.addSql(`alter table "milestones" drop constraint "milestones_action_plan_id_foreign";`);

    this.addSql(`alter table "indicators" drop constraint "indicators_action_plan_id_foreign";`);

    this.addSql(`alter table "action_plan_supporting_opds" drop constraint "action_plan_supporting_opds_action_plan_id_foreign";`);

    this.addSql(`alter table "progress_reports" drop constraint "progress_reports_action_plan_id_foreign";`);

    this.addSql(`alter table "indicator_values" drop constraint "indicator_values_indicator_id_foreign";`);

    this.addSql(`alter table "team_members" drop constraint "team_members_team_id_foreign";`);

    this.addSql(`alter table "progress_reports" drop constraint "progress_reports_reporter_id_foreign";`);

    this.addSql(`alter table "indicator_values" drop constraint "indicator_values_reported_by_id_foreign";`);

    this.addSql(`drop table if exists "cities" cascade;`);

    this.addSql(`drop table if exists "activities" cascade;`);

    this.addSql(`drop table if exists "councils" cascade;`);

    this.addSql(`drop table if exists "council_members" cascade;`);

    this.addSql(`drop table if exists "evaluation_visits" cascade;`);

    this.addSql(`drop table if exists "masterplans" cascade;`);

    this.addSql(`drop table if exists "opds" cascade;`);

    this.addSql(`drop table if exists "programs" cascade;`);

    this.addSql(`drop table if exists "action_plans" cascade;`);

    this.addSql(`drop table if exists "milestones" cascade;`);

    this.addSql(`drop table if exists "indicators" cascade;`);

    this.addSql(`drop table if exists "action_plan_supporting_opds" cascade;`);

    this.addSql(`drop table if exists "teams" cascade;`);

    this.addSql(`drop table if exists "team_members" cascade;`);

    this.addSql(`drop table if exists "users" cascade;`);

    this.addSql(`drop table if exists "progress_reports" cascade;`);

    this.addSql(`drop table if exists "indicator_values" cascade;`);
  }

}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261123060746 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`cities\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`name\` text not null, \`kind\` text check (\`kind\` in ('KOTA', 'KABUPATEN')) not null default 'KOTA', \`province\` text not null, \`joined_year\` integer null, \`time_zone\` text not null default 'Asia/Jakarta', primary key (\`id\`));`);
    this.addSql(`create unique index \`cities_name_unique\` on \`cities\` (\`name\`);`);

    this.addSql(`create table \`activities\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`kind\` text check (\`kind\` in ('BIMTEK', 'MOU_SIGNING', 'MEETING', 'PRESENTATION', 'OTHER')) not null, \`title\` text not null, \`phase\` integer null, \`start_date\` date not null, \`end_date\` date not null, \`place\` text null, \`outcome\` text null, constraint \`activities_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`activities_city_id_index\` on \`activities\` (\`city_id\`);`);

    this.addSql(`create table \`councils\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`name\` text not null, \`decree_number\` text null, \`decree_date\` date null, constraint \`councils_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`councils_city_id_index\` on \`councils\` (\`city_id\`);`);

    this.addSql(`create table \`council_members\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`council_id\` text not null, \`name\` text not null, \`position\` text not null, \`organisation\` text null, \`category\` text check (\`category\` in ('GOVERNMENT', 'UNIVERSITY', 'FKPD', 'COMMUNITY', 'PRIVATE')) not null, constraint \`council_members_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, constraint \`council_members_council_id_foreign\` foreign key(\`council_id\`) references \`councils\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`council_members_city_id_index\` on \`council_members\` (\`city_id\`);`);
    this.addSql(`create index \`council_members_council_id_index\` on \`council_members\` (\`council_id\`);`);

    this.addSql(`create table \`evaluation_visits\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`year\` integer not null, \`start_date\` date not null, \`end_date\` date not null, \`evaluator\` text not null, \`agenda\` text null, constraint \`evaluation_visits_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`evaluation_visits_city_id_index\` on \`evaluation_visits\` (\`city_id\`);`);

    this.addSql(`create table \`masterplans\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`title\` text not null, \`start_year\` integer not null, \`end_year\` integer not null, \`vision\` text null, constraint \`masterplans_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`masterplans_city_id_index\` on \`masterplans\` (\`city_id\`);`);

    this.addSql(`create table \`opds\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`name\` text not null, \`abbreviation\` text not null, \`head\` text null, \`leading_sector\` integer not null default false, constraint \`opds_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`opds_city_id_index\` on \`opds\` (\`city_id\`);`);
    this.addSql(`create unique index \`opds_city_id_name_unique\` on \`opds\` (\`city_id\`, \`name\`);`);

    this.addSql(`create table \`programs\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`masterplan_id\` text not null, \`name\` text not null, \`description\` text null, \`dimension\` text check (\`dimension\` in ('GOVERNANCE', 'BRANDING', 'ECONOMY', 'LIVING', 'SOCIETY', 'ENVIRONMENT')) not null, \`quick_win\` integer not null, \`quick_win_year\` integer null, constraint \`programs_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, constraint \`programs_masterplan_id_foreign\` foreign key(\`masterplan_id\`) references \`masterplans\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`programs_city_id_index\` on \`programs\` (\`city_id\`);`);
    this.addSql(`create index \`programs_masterplan_id_index\` on \`programs\` (\`masterplan_id\`);`);

    this.addSql(`create table \`action_plans\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`program_id\` text not null, \`owner_opd_id\` text not null, \`code\` text null, \`title\` text not null, \`description\` text null, \`dimension\` text check (\`dimension\` in ('GOVERNANCE', 'BRANDING', 'ECONOMY', 'LIVING', 'SOCIETY', 'ENVIRONMENT')) not null, \`start_date\` date not null, \`due_date\` date not null, \`budget_amount\` bigint null, \`budget_source\` text check (\`budget_source\` in ('APBD', 'APBD_PROVINSI', 'APBN', 'DAK', 'CSR', 'SWASTA', 'LAINNYA')) null, \`status\` text check (\`status\` in ('ACTIVE', 'ON_HOLD', 'CANCELLED')) not null, \`weight\` double not null, \`progress\` double not null, \`last_reported_at\` datetime null, constraint \`action_plans_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, constraint \`action_plans_program_id_foreign\` foreign key(\`program_id\`) references \`programs\`(\`id\`) on update cascade, constraint \`action_plans_owner_opd_id_foreign\` foreign key(\`owner_opd_id\`) references \`opds\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`action_plans_city_id_index\` on \`action_plans\` (\`city_id\`);`);
    this.addSql(`create index \`action_plans_program_id_index\` on \`action_plans\` (\`program_id\`);`);
    this.addSql(`create index \`action_plans_owner_opd_id_index\` on \`action_plans\` (\`owner_opd_id\`);`);
    this.addSql(`create index \`action_plans_city_id_due_date_index\` on \`action_plans\` (\`city_id\`, \`due_date\`);`);

    this.addSql(`create table \`milestones\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`action_plan_id\` text not null, \`title\` text not null, \`due_date\` date not null, \`done_date\` date null, constraint \`milestones_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, constraint \`milestones_action_plan_id_foreign\` foreign key(\`action_plan_id\`) references \`action_plans\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`milestones_city_id_index\` on \`milestones\` (\`city_id\`);`);
    this.addSql(`create index \`milestones_action_plan_id_index\` on \`milestones\` (\`action_plan_id\`);`);

    this.addSql(`create table \`indicators\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`action_plan_id\` text not null, \`name\` text not null, \`unit\` text not null, \`baseline\` double not null, \`target\` double not null, \`direction\` text check (\`direction\` in ('INCREASE', 'DECREASE')) not null, constraint \`indicators_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, constraint \`indicators_action_plan_id_foreign\` foreign key(\`action_plan_id\`) references \`action_plans\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`indicators_city_id_index\` on \`indicators\` (\`city_id\`);`);
    this.addSql(`create index \`indicators_action_plan_id_index\` on \`indicators\` (\`action_plan_id\`);`);

    this.addSql(`create table \`action_plan_supporting_opds\` (\`action_plan_id\` text not null, \`opd_id\` text not null, constraint \`action_plan_supporting_opds_action_plan_id_foreign\` foreign key(\`action_plan_id\`) references \`action_plans\`(\`id\`) on delete cascade on update cascade, constraint \`action_plan_supporting_opds_opd_id_foreign\` foreign key(\`opd_id\`) references \`opds\`(\`id\`) on delete cascade on update cascade, primary key (\`action_plan_id\`, \`opd_id\`));`);
    this.addSql(`create index \`action_plan_supporting_opds_action_plan_id_index\` on \`action_plan_supporting_opds\` (\`action_plan_id\`);`);
    this.addSql(`create index \`action_plan_supporting_opds_opd_id_index\` on \`action_plan_supporting_opds\` (\`opd_id\`);`);

    this.addSql(`create table \`teams\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`name\` text not null, \`decree_number\` text null, \`decree_date\` date null, constraint \`teams_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`teams_city_id_index\` on \`teams\` (\`city_id\`);`);

    this.addSql(`create table \`team_members\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`team_id\` text not null, \`name\` text not null, \`position\` text null, \`role\` text check (\`role\` in ('LEADER', 'DEPUTY', 'SECRETARY', 'MEMBER')) not null, \`opd_id\` text null, constraint \`team_members_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, constraint \`team_members_team_id_foreign\` foreign key(\`team_id\`) references \`teams\`(\`id\`) on update cascade, constraint \`team_members_opd_id_foreign\` foreign key(\`opd_id\`) references \`opds\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`team_members_city_id_index\` on \`team_members\` (\`city_id\`);`);
    this.addSql(`create index \`team_members_team_id_index\` on \`team_members\` (\`team_id\`);`);
    this.addSql(`create index \`team_members_opd_id_index\` on \`team_members\` (\`opd_id\`);`);

    this.addSql(`create table \`users\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`email\` text not null, \`name\` text not null, \`password_hash\` text not null, \`role\` text check (\`role\` in ('PLATFORM_ADMIN', 'CITY_ADMIN', 'OPD_REPORTER', 'VIEWER', 'EVALUATOR')) not null, \`city_id\` text null, \`opd_id\` text null, constraint \`users_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on delete set null on update cascade, constraint \`users_opd_id_foreign\` foreign key(\`opd_id\`) references \`opds\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`users_email_unique\` on \`users\` (\`email\`);`);
    this.addSql(`create index \`users_city_id_index\` on \`users\` (\`city_id\`);`);
    this.addSql(`create index \`users_opd_id_index\` on \`users\` (\`opd_id\`);`);

    this.addSql(`create table \`progress_reports\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`action_plan_id\` text not null, \`percent\` double not null, \`narrative\` text not null, \`obstacles\` text null, \`evidence_urls\` json not null, \`reporter_id\` text null, \`reported_at\` datetime not null, constraint \`progress_reports_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, constraint \`progress_reports_action_plan_id_foreign\` foreign key(\`action_plan_id\`) references \`action_plans\`(\`id\`) on update cascade, constraint \`progress_reports_reporter_id_foreign\` foreign key(\`reporter_id\`) references \`users\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`progress_reports_city_id_index\` on \`progress_reports\` (\`city_id\`);`);
    this.addSql(`create index \`progress_reports_action_plan_id_index\` on \`progress_reports\` (\`action_plan_id\`);`);
    this.addSql(`create index \`progress_reports_reporter_id_index\` on \`progress_reports\` (\`reporter_id\`);`);
    this.addSql(`create index \`progress_reports_action_plan_id_reported_at_index\` on \`progress_reports\` (\`action_plan_id\`, \`reported_at\`);`);

    this.addSql(`create table \`indicator_values\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`indicator_id\` text not null, \`period\` text not null, \`value\` double not null, \`note\` text null, \`reported_by_id\` text null, constraint \`indicator_values_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, constraint \`indicator_values_indicator_id_foreign\` foreign key(\`indicator_id\`) references \`indicators\`(\`id\`) on update cascade, constraint \`indicator_values_reported_by_id_foreign\` foreign key(\`reported_by_id\`) references \`users\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`indicator_values_city_id_index\` on \`indicator_values\` (\`city_id\`);`);
    this.addSql(`create index \`indicator_values_indicator_id_index\` on \`indicator_values\` (\`indicator_id\`);`);
    this.addSql(`create index \`indicator_values_reported_by_id_index\` on \`indicator_values\` (\`reported_by_id\`);`);
    this.addSql(`create unique index \`indicator_values_indicator_id_period_unique\` on \`indicator_values\` (\`indicator_id\`, \`period\`);`);
  }

}

import { Migration } from '@mikro-orm/migrations';

/** Issue 11 §5–7: programme events with owners and deliverables (new activity kinds), the risk register, cross-index tags. */
export class Migration20261130003447 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`risks\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`program_id\` text not null, \`description\` text not null, \`likelihood\` integer not null, \`impact\` integer not null, \`mitigation\` text null, \`owner_opd_id\` text null, \`status\` text check (\`status\` in ('OPEN', 'MITIGATED', 'ACCEPTED', 'CLOSED')) not null, constraint \`risks_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, constraint \`risks_program_id_foreign\` foreign key(\`program_id\`) references \`programs\`(\`id\`) on update cascade, constraint \`risks_owner_opd_id_foreign\` foreign key(\`owner_opd_id\`) references \`opds\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`risks_city_id_index\` on \`risks\` (\`city_id\`);`);
    this.addSql(`create index \`risks_program_id_index\` on \`risks\` (\`program_id\`);`);
    this.addSql(`create index \`risks_owner_opd_id_index\` on \`risks\` (\`owner_opd_id\`);`);

    this.addSql(`create table \`tag_catalogs\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`code\` text not null, \`name\` text not null, \`description\` text null, primary key (\`id\`));`);
    this.addSql(`create unique index \`tag_catalogs_code_unique\` on \`tag_catalogs\` (\`code\`);`);

    this.addSql(`create table \`tags\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`catalog_id\` text not null, \`code\` text not null, \`name\` text not null, constraint \`tags_catalog_id_foreign\` foreign key(\`catalog_id\`) references \`tag_catalogs\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`tags_catalog_id_index\` on \`tags\` (\`catalog_id\`);`);
    this.addSql(`create unique index \`tags_catalog_id_code_unique\` on \`tags\` (\`catalog_id\`, \`code\`);`);

    this.addSql(`create table \`indicator_tags\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`indicator_id\` text not null, \`tag_id\` text not null, constraint \`indicator_tags_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, constraint \`indicator_tags_indicator_id_foreign\` foreign key(\`indicator_id\`) references \`indicators\`(\`id\`) on update cascade, constraint \`indicator_tags_tag_id_foreign\` foreign key(\`tag_id\`) references \`tags\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`indicator_tags_city_id_index\` on \`indicator_tags\` (\`city_id\`);`);
    this.addSql(`create index \`indicator_tags_indicator_id_index\` on \`indicator_tags\` (\`indicator_id\`);`);
    this.addSql(`create index \`indicator_tags_tag_id_index\` on \`indicator_tags\` (\`tag_id\`);`);
    this.addSql(`create unique index \`indicator_tags_indicator_id_tag_id_unique\` on \`indicator_tags\` (\`indicator_id\`, \`tag_id\`);`);

    this.addSql(`create table \`action_plan_tags\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`action_plan_id\` text not null, \`tag_id\` text not null, constraint \`action_plan_tags_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, constraint \`action_plan_tags_action_plan_id_foreign\` foreign key(\`action_plan_id\`) references \`action_plans\`(\`id\`) on update cascade, constraint \`action_plan_tags_tag_id_foreign\` foreign key(\`tag_id\`) references \`tags\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`action_plan_tags_city_id_index\` on \`action_plan_tags\` (\`city_id\`);`);
    this.addSql(`create index \`action_plan_tags_action_plan_id_index\` on \`action_plan_tags\` (\`action_plan_id\`);`);
    this.addSql(`create index \`action_plan_tags_tag_id_index\` on \`action_plan_tags\` (\`tag_id\`);`);
    this.addSql(`create unique index \`action_plan_tags_action_plan_id_tag_id_unique\` on \`action_plan_tags\` (\`action_plan_id\`, \`tag_id\`);`);
    this.addSql(`alter table \`evaluation_visits\` add column \`owner_opd_id\` text null constraint \`evaluation_visits_owner_opd_id_foreign\` references \`opds\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`evaluation_visits\` add column \`owner_name\` text null;`);
    this.addSql(`alter table \`evaluation_visits\` add column \`deliverables\` json not null default '[]';`);
    this.addSql(`create index \`evaluation_visits_owner_opd_id_index\` on \`evaluation_visits\` (\`owner_opd_id\`);`);

    // Activities are rebuilt: SQLite keeps the kinds in a CHECK constraint that only a new table changes.
    // Nothing refers to activities, so the old table can be dropped.
    this.addSql(`create table \`activities__temp_alter\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`archived_at\` datetime null, \`city_id\` text not null, \`owner_opd_id\` text null, \`owner_name\` text null, \`deliverables\` json not null default '[]', \`kind\` text check (\`kind\` in ('BIMTEK', 'MOU_SIGNING', 'MEETING', 'PRESENTATION', 'MASTERPLAN_DEADLINE', 'YEARLY_REVIEW', 'OTHER')) not null, \`title\` text not null, \`phase\` integer null, \`start_date\` date not null, \`end_date\` date not null, \`place\` text null, \`outcome\` text null, constraint \`activities_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, constraint \`activities_owner_opd_id_foreign\` foreign key(\`owner_opd_id\`) references \`opds\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`activities__temp_alter\` (\`id\`, \`created_at\`, \`updated_at\`, \`version\`, \`archived_at\`, \`city_id\`, \`kind\`, \`title\`, \`phase\`, \`start_date\`, \`end_date\`, \`place\`, \`outcome\`) select \`id\`, \`created_at\`, \`updated_at\`, \`version\`, \`archived_at\`, \`city_id\`, \`kind\`, \`title\`, \`phase\`, \`start_date\`, \`end_date\`, \`place\`, \`outcome\` from \`activities\`;`);
    this.addSql(`drop table \`activities\`;`);
    this.addSql(`alter table \`activities__temp_alter\` rename to \`activities\`;`);
    this.addSql(`create index \`activities_city_id_index\` on \`activities\` (\`city_id\`);`);
    this.addSql(`create index \`activities_owner_opd_id_index\` on \`activities\` (\`owner_opd_id\`);`);
  }

}

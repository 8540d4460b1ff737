import { Migration } from '@mikro-orm/migrations';

/**
 * Audit log, verification of progress reports, evaluator cities and session revocation.
 * Written by hand: MikroORM's SQLite differ proposes rebuilding unrelated tables here.
 */
export class Migration20261123063936 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`audit_log\` (\`id\` text not null, \`at\` datetime not null, \`city_id\` text null, \`actor_id\` text null, \`actor_name\` text null, \`action\` text check (\`action\` in ('CREATE', 'UPDATE', 'ARCHIVE')) not null, \`entity\` text not null, \`entity_id\` text not null, \`changes\` json not null, \`request_id\` text null, constraint \`audit_log_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on delete set null on update cascade, constraint \`audit_log_actor_id_foreign\` foreign key(\`actor_id\`) references \`users\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`audit_log_city_id_index\` on \`audit_log\` (\`city_id\`);`);
    this.addSql(`create index \`audit_log_actor_id_index\` on \`audit_log\` (\`actor_id\`);`);
    this.addSql(`create index \`audit_log_city_id_id_index\` on \`audit_log\` (\`city_id\`, \`id\`);`);
    this.addSql(`alter table \`users\` add column \`evaluator_city_ids\` json not null default '[]';`);
    this.addSql(`alter table \`users\` add column \`sessions_valid_after\` datetime null;`);
    this.addSql(`alter table \`progress_reports\` add column \`status\` text not null default 'SUBMITTED' check (\`status\` in ('SUBMITTED', 'VERIFIED', 'RETURNED'));`);
    this.addSql(`alter table \`progress_reports\` add column \`review_comment\` text null;`);
    this.addSql(`alter table \`progress_reports\` add column \`reviewed_by_id\` text null constraint \`progress_reports_reviewed_by_id_foreign\` references \`users\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`progress_reports\` add column \`reviewed_at\` datetime null;`);
    this.addSql(`create index \`progress_reports_reviewed_by_id_index\` on \`progress_reports\` (\`reviewed_by_id\`);`);
    this.addSql(`create index \`progress_reports_city_id_status_index\` on \`progress_reports\` (\`city_id\`, \`status\`);`);
  }

}

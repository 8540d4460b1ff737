import { Migration } from '@mikro-orm/migrations';

/** Late-plan marks: each plan that turns late is announced once (ACTION_PLAN_LATE). */
export class Migration20261123071500 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`plan_late_marks\` (\`action_plan_id\` text not null, \`city_id\` text not null, \`marked_on\` date not null, primary key (\`action_plan_id\`));`);
    this.addSql(`create index \`plan_late_marks_city_id_index\` on \`plan_late_marks\` (\`city_id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`plan_late_marks\`;`);
  }

}

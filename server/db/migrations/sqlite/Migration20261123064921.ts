import { Migration } from '@mikro-orm/migrations';

/** City event outbox and per-city sequences (written by hand: MikroORM's SQLite differ rebuilds unrelated tables). */
export class Migration20261123064921 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`city_events\` (\`id\` text not null, \`city_id\` text not null, \`seq\` integer not null, \`kind\` text not null, \`entity\` text not null, \`entity_id\` text not null, \`action_plan_id\` text null, \`at\` datetime not null, constraint \`city_events_city_id_foreign\` foreign key(\`city_id\`) references \`cities\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`city_events_city_id_index\` on \`city_events\` (\`city_id\`);`);
    this.addSql(`create unique index \`city_events_city_id_seq_unique\` on \`city_events\` (\`city_id\`, \`seq\`);`);
    this.addSql(`create table \`city_sequences\` (\`city_id\` text not null, \`seq\` integer not null default 0, primary key (\`city_id\`));`);
  }

}

import { Migration } from '@mikro-orm/migrations';

/** Issue 20 §2: the revocation log (every instance reads what pub/sub did not bring it). */
export class Migration20261207022802 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "revocations" ("seq" int not null, "subject" varchar(80) not null, "at" timestamptz not null, constraint "revocations_pkey" primary key ("seq"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "revocations" cascade;`);
  }

}

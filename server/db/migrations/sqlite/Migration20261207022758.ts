import { Migration } from '@mikro-orm/migrations';

/** Issue 20 §2: the revocation log (every instance reads what pub/sub did not bring it). */
export class Migration20261207022758 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`revocations\` (\`seq\` integer not null, \`subject\` text not null, \`at\` datetime not null, primary key (\`seq\`));`);
  }

}

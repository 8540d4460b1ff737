import { Migration } from '@mikro-orm/migrations';

/** Issue 21: how often an indicator is measured (`Indicator.frequency`). */
export class Migration20261207022816 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`indicators\` add column \`frequency\` text check (\`frequency\` in ('MONTHLY', 'QUARTERLY', 'YEARLY')) null;`);
  }

}

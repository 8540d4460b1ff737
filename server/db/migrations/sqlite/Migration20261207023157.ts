import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 20 §3: evidence bytes in 256 KiB chunk rows (PostgreSQL's storage; the table exists here
 * too, empty: SQLite keeps its files under DATA_DIR/uploads). `evidence_blobs.data` was always
 * null on SQLite, so dropping it loses nothing.
 */
export class Migration20261207023157 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`evidence_chunks\` (\`blob_id\` text not null, \`seq\` integer not null, \`data\` blob not null, constraint \`evidence_chunks_blob_id_foreign\` foreign key(\`blob_id\`) references \`evidence_blobs\`(\`id\`) on delete cascade on update cascade, primary key (\`blob_id\`, \`seq\`));`);
    this.addSql(`create index \`evidence_chunks_blob_id_index\` on \`evidence_chunks\` (\`blob_id\`);`);
    this.addSql(`alter table \`evidence_blobs\` drop column \`data\`;`);
  }

}

import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 20 §3: evidence bytes move from `evidence_blobs.data` (one bytea, read and written whole)
 * to `evidence_chunks` rows of 256 KiB (streamed a chunk at a time). Existing files are cut into
 * chunks before the column goes; `down` joins them back.
 */
export class Migration20261207023200 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "evidence_chunks" ("blob_id" varchar(36) not null, "seq" int not null, "data" bytea not null, constraint "evidence_chunks_pkey" primary key ("blob_id", "seq"));`);

    this.addSql(`alter table "evidence_chunks" add constraint "evidence_chunks_blob_id_foreign" foreign key ("blob_id") references "evidence_blobs" ("id") on update cascade on delete cascade;`);

    this.addSql(`insert into "evidence_chunks" ("blob_id", "seq", "data") select b."id", s.seq, substring(b."data" from s.seq * 262144 + 1 for 262144) from "evidence_blobs" b cross join lateral generate_series(0, (length(b."data") - 1) / 262144) as s(seq) where b."data" is not null and length(b."data") > 0;`);

    this.addSql(`alter table "evidence_blobs" drop column "data";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "evidence_blobs" add column "data" bytea null;`);

    this.addSql(`update "evidence_blobs" b set "data" = (select string_agg(c."data", ''::bytea order by c."seq") from "evidence_chunks" c where c."blob_id" = b."id");`);

    this.addSql(`drop table if exists "evidence_chunks" cascade;`);
  }

}

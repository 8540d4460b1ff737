import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 21: a `code` on OPDs, programs, indicators and milestones, the row key of the masterplan
 * spreadsheets (unique in the city, or in the plan for indicators and milestones). Existing rows
 * get `<PREFIX>-<last 8 hex digits of the id>` (`autoCode`), as do action plans without a code.
 */
export class Migration20261207055024 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "opds" add column "code" varchar(40) null;`);
    this.addSql(`update "opds" set "code" = 'OPD-' || upper(substr("id", 29, 8));`);
    this.addSql(`alter table "opds" add constraint "opds_city_id_code_unique" unique ("city_id", "code");`);

    this.addSql(`alter table "programs" add column "code" varchar(40) null;`);
    this.addSql(`update "programs" set "code" = 'PRG-' || upper(substr("id", 29, 8));`);
    this.addSql(`alter table "programs" add constraint "programs_city_id_code_unique" unique ("city_id", "code");`);

    this.addSql(`alter table "milestones" add column "code" varchar(40) null;`);
    this.addSql(`update "milestones" set "code" = 'TGK-' || upper(substr("id", 29, 8));`);
    this.addSql(`alter table "milestones" add constraint "milestones_action_plan_id_code_unique" unique ("action_plan_id", "code");`);

    this.addSql(`alter table "indicators" add column "code" varchar(40) null;`);
    this.addSql(`update "indicators" set "code" = 'IND-' || upper(substr("id", 29, 8));`);
    this.addSql(`alter table "indicators" add constraint "indicators_action_plan_id_code_unique" unique ("action_plan_id", "code");`);

    this.addSql(`update "action_plans" set "code" = 'RA-' || upper(substr("id", 29, 8)) where "code" is null or "code" = '';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "indicators" drop constraint "indicators_action_plan_id_code_unique";`);
    this.addSql(`alter table "indicators" drop column "code";`);

    this.addSql(`alter table "milestones" drop constraint "milestones_action_plan_id_code_unique";`);
    this.addSql(`alter table "milestones" drop column "code";`);

    this.addSql(`alter table "opds" drop constraint "opds_city_id_code_unique";`);
    this.addSql(`alter table "opds" drop column "code";`);

    this.addSql(`alter table "programs" drop constraint "programs_city_id_code_unique";`);
    this.addSql(`alter table "programs" drop column "code";`);
  }

}

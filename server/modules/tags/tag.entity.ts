import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { CityOwnedEntity } from '../../db/city-owned.entity';
import type { ActionPlan } from '../action-plans/action-plan.entity';
import type { Indicator } from '../action-plans/indicator.entity';

/** A platform-wide set of tags: the SPBE indicators, the SAKIP key performance indicators, ISO 37122. */
@ObjectType({
  description:
    'A catalogue of tags that plans and indicators can be cross-indexed with (SPBE, SAKIP IKU, ISO 37122). Platform-wide, kept as data.',
})
@Entity({ tableName: 'tag_catalogs' })
export class TagCatalog extends BaseEntity {
  @Field(() => String, { description: 'Stable key, e.g. "SPBE", "SAKIP_IKU", "ISO_37122".' })
  @Unique()
  @Property({ type: 'string', length: 40 })
  code: string;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  constructor(code: string, name: string) {
    super();
    this.code = code;
    this.name = name;
  }
}

/** One entry of a catalogue, e.g. SPBE indicator 29 "Layanan perencanaan". */
@ObjectType({ description: 'One entry of a tag catalogue, e.g. one of the SPBE indicators.' })
@Entity({ tableName: 'tags' })
@Unique({ properties: ['catalog', 'code'] })
export class Tag extends BaseEntity {
  @ManyToOne({ entity: () => TagCatalog, type: 'TagCatalog' })
  catalog: TagCatalog;

  @Field(() => String, { description: 'The code within its catalogue, e.g. "I-29", "IKU-04", "10.3".' })
  @Property({ type: 'string', length: 40 })
  code: string;

  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  name: string;

  constructor(catalog: TagCatalog, code: string, name: string) {
    super();
    this.catalog = catalog;
    this.code = code;
    this.name = name;
  }
}

/** An action plan tagged with a tag; removing the tag archives the row (and tagging again revives it). */
@Entity({ tableName: 'action_plan_tags' })
@Unique({ properties: ['actionPlan', 'tag'] })
export class ActionPlanTag extends CityOwnedEntity {
  @ManyToOne({ entity: 'ActionPlan', type: 'ActionPlan' })
  actionPlan: ActionPlan;

  @Index()
  @ManyToOne({ entity: () => Tag, type: 'Tag' })
  tag: Tag;

  constructor(actionPlan: ActionPlan, tag: Tag) {
    super();
    this.actionPlan = actionPlan;
    this.city = actionPlan.city;
    this.tag = tag;
  }
}

/** An indicator tagged with a tag; removing the tag archives the row. */
@Entity({ tableName: 'indicator_tags' })
@Unique({ properties: ['indicator', 'tag'] })
export class IndicatorTag extends CityOwnedEntity {
  @ManyToOne({ entity: 'Indicator', type: 'Indicator' })
  indicator: Indicator;

  @Index()
  @ManyToOne({ entity: () => Tag, type: 'Tag' })
  tag: Tag;

  constructor(indicator: Indicator, tag: Tag) {
    super();
    this.indicator = indicator;
    this.city = indicator.city;
    this.tag = tag;
  }
}

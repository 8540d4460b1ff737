import { GraphQLJSON } from 'graphql-scalars';
import {
  Arg,
  Args,
  Ctx,
  Extensions,
  Field,
  ID,
  Int,
  ObjectType,
  FieldResolver,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import type { Context } from '../../context';
import { Channel } from '../../events/channel';
import { liveField } from '../../graphql/live-fields';
import { PageArgs, type Page } from '../../graphql/connection';
import { ActionPlan } from '../action-plans/action-plan.entity';
import { ActionPlanConnection } from '../action-plans/action-plan.service';
import type { PlanRecord } from '../action-plans/plan-record';
import { City, CityKind } from '../cities/city.entity';
import { readableCity } from '../cities/city.service';
import { CalendarEntry } from '../evaluation/calendar';
import { Masterplan, Program } from '../masterplan/masterplan.entity';
import { CityOverview, ProgressBasis } from '../overview/overview';
import { ProgressReport, ReportStatus } from '../progress/progress-report.entity';
import { ProgressReportConnection } from '../progress/progress.service';
import { liveOf, type ScreenSource } from './live.service';
import { screenAgenda, screenAtRisk, screenCity, screenMasterplans, screenPlans, screenPrograms, screenReports } from './screen.service';

/** The most plans a screen frame lists (the kiosk's five pages of 100). */
export const SCREEN_PLANS = 500;

/** One frame of `cityScreen`: the whole state of a meeting-room screen, or what changed in it. */
@ObjectType('CityScreen', {
  description: [
    "A meeting-room screen's whole state, pushed: the first frame (and the first after every resubscription) is FULL —",
    '`baseSeq` null, `overview`, `city` and `plans` as selected, `patch` null. Every later frame is a PATCH of the state at `baseSeq`:',
    'the state fields are null and `patch` says what changed in them, keyed by their response keys (format in the README, "Live updates").',
    'A client whose state is not at `baseSeq` (or that cannot apply the patch) resubscribes: the first frame is the full state again.',
  ].join(' '),
})
export class CityScreen {
  @Field(() => Int, { description: 'The change of the city this frame brings the state to (its overview `seq`).' })
  seq!: number;

  @Field(() => Int, { nullable: true, description: 'Null: a full frame. Otherwise the `seq` of the state this patch applies to.' })
  baseSeq!: number | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'A patch frame: what changed in the state since `baseSeq` (null in a full frame).',
  })
  patch!: unknown;

  @Field(() => CityOverview, { nullable: true, description: 'The overview (null in a patch frame).' })
  overview!: CityOverview | null;
}

/**
 * What a screen reads of its city: the fields of `City` it shows, by the same names and arguments
 * (the kiosk's selection is the one it sends over HTTP), and nothing else. A shared run executes it
 * once for many readers, so nothing role-dependent (an assessment, the audit log…) is reachable
 * from it (test/api/monev.test.ts walks every subscription's types).
 */
@ObjectType('ScreenCity', { description: "The part of a city a meeting-room screen shows (the same fields as City's)." })
export class ScreenCity {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) province!: string;
  @Field(() => CityKind) kind!: CityKind;
  @Field(() => String) timeZone!: string;
}

/** `ScreenCity`: each field answered as `City`'s own field answers it (screen.service.ts). */
@Resolver(() => ScreenCity)
export class ScreenCityResolver {
  @FieldResolver(() => [Masterplan], { description: 'As City.masterplans.' })
  masterplans(@Root() city: City, @Ctx() ctx: Context): Promise<Masterplan[]> {
    return screenMasterplans(ctx, city);
  }

  @FieldResolver(() => [Program], { description: 'As City.programs (unfiltered).' })
  programs(@Root() city: City, @Ctx() ctx: Context): Promise<Program[]> {
    return screenPrograms(ctx, city);
  }

  @FieldResolver(() => ProgressReportConnection, { description: 'As City.progressReports.' })
  progressReports(
    @Root() city: City,
    @Args(() => PageArgs) args: PageArgs,
    @Arg('status', () => ReportStatus, { nullable: true }) status: ReportStatus | null,
    @Ctx() ctx: Context,
  ): Promise<Page<ProgressReport>> {
    return screenReports(ctx, city, args, status);
  }

  @FieldResolver(() => [CalendarEntry], { description: 'As City.upcoming.' })
  upcoming(
    @Root() city: City,
    @Arg('days', () => Int, { defaultValue: 30 }) days: number,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Ctx() ctx: Context,
  ): Promise<CalendarEntry[]> {
    return screenAgenda(ctx, city, days, first);
  }

  @FieldResolver(() => ActionPlanConnection, { description: 'As City.atRiskActionPlans.' })
  atRiskActionPlans(
    @Root() city: City,
    @Args(() => PageArgs) args: PageArgs,
    @Arg('basis', () => ProgressBasis, { defaultValue: ProgressBasis.ALL }) basis: ProgressBasis,
    @Ctx() ctx: Context,
  ): Promise<Page<PlanRecord>> {
    return screenAtRisk(ctx, city, args, basis);
  }
}

/** `CityScreen`: the fields read from the city, resolved once per change for every screen. */
@Resolver(() => CityScreen)
export class CityScreenResolver {
  @FieldResolver(() => ScreenCity, {
    nullable: true,
    description: 'The city: the screen selects the feed, queue, agenda, early warning and programs on it (null in a patch frame).',
  })
  city(@Root() screen: ScreenSource, @Ctx() ctx: Context): Promise<City | null> {
    return screenCity(ctx, screen.cityId);
  }

  @FieldResolver(() => [ActionPlan], {
    nullable: true,
    description: `The city's action plans, earliest due date first, at most ${SCREEN_PLANS} (null in a patch frame).`,
  })
  async plans(@Root() screen: ScreenSource, @Ctx() ctx: Context): Promise<PlanRecord[] | null> {
    const city = await screenCity(ctx, screen.cityId);
    return city ? screenPlans(ctx, city, SCREEN_PLANS) : null;
  }

  @Subscription(() => CityScreen, {
    description: [
      'Everything a meeting-room screen shows, pushed: the full state at once, then a patch per (coalesced) change of the city (see CityScreen).',
      'Computed once per change per city, basis, language, selection and kind of reader on an instance, whatever the number of screens;',
      'a new subscriber is greeted with the latest full state (no computation of its own).',
    ].join(' '),
    subscribe: async ({ args, context: ctx }: SubscribeResolverData<unknown, Record<string, unknown>, Context>) => {
      const a = args as { cityId: string; basis: ProgressBasis };
      const city = await readableCity(ctx, a.cityId);
      let stop: () => void = () => {};
      let unwatch: () => void = () => {};
      const channel = new Channel<ScreenSource>(() => {
        stop();
        unwatch();
      }, 100);
      unwatch = ctx.liveScope?.watch(city.id, (error) => channel.fail(error)) ?? unwatch;
      stop = await liveOf(ctx).screen(city.id, a.basis, ctx.locale, (screen) => channel.push(screen));
      return liveOf(ctx).fresh(ctx, channel);
    },
  })
  @Extensions(liveField({ share: 'city', perViewer: true, patch: true }))
  cityScreen(
    @Root() screen: ScreenSource,
    @Arg('cityId', () => ID) _cityId: string,
    @Arg('basis', () => ProgressBasis, { defaultValue: ProgressBasis.ALL }) _basis: ProgressBasis,
  ): ScreenSource {
    // A full frame: `baseSeq` and `patch` are absent (null); patches are made from it (realtime/patched.ts).
    return screen;
  }
}

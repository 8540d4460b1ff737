import { Arg, Extensions, Field, ID, Int, ObjectType, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { AppError, ErrorCode } from '../../errors';
import { WORK_UNITS, workSubject } from '../../graphql/work-budget';
import { eventsAfter } from '../../events/bus';
import { latestSeq } from '../../events/sequence';
import { t } from '../../i18n';
import { Channel } from '../../events/channel';
import type { EventMessage } from '../../events/topics';
import { liveField } from '../../graphql/live-fields';
import { ActionPlan } from '../action-plans/action-plan.entity';
import { readablePlan } from '../action-plans/action-plan.service';
import { readableCity } from '../cities/city.service';
import { CityOverview, ProgressBasis } from '../overview/overview';
import { liveOf, type LiveService } from './live.service';
import { Readiness } from '../monev/readiness';
import { readinessYear } from '../monev/readiness.service';

/** A change in a city, as subscribers receive it. */
@ObjectType('CityEvent', {
  description: [
    'One change in a city. `seq` increases by exactly one with every change in the city, in commit order.',
    'Contract: a client that sees a gap in `seq`, or reconnects, refetches its snapshot (`City.overview.seq` says which change it reflects)',
    'and applies only later events — or resubscribes with `afterSeq` to have the missed events replayed first.',
  ].join(' '),
})
export class LiveEvent {
  @Field(() => ID) cityId!: string;
  @Field(() => Int, { description: 'Per-city sequence number: +1 for every change.' }) seq!: number;
  @Field(() => String, {
    description:
      'What happened: PROGRESS_REPORTED, PROGRESS_VERIFIED, PROGRESS_RETURNED, ACTION_PLAN_CREATED/UPDATED/ARCHIVED, INDICATOR_VALUE_RECORDED, ACTIVITY_…, EVALUATION_VISIT_…, OPD_…, PROGRAM_…, EVIDENCE_ATTACHED/DETACHED, ASSESSMENT_SCORED, SELF_ASSESSMENT_…',
  })
  kind!: string;
  @Field(() => String, { description: 'The kind of object that changed, e.g. ActionPlan.' }) entity!: string;
  @Field(() => ID) entityId!: string;
  @Field(() => ID, { nullable: true, description: 'The action plan concerned, when there is one.' }) actionPlanId!: string | null;
  @Field(() => Date) at!: Date;
}

/** One LiveEvent per delivered message: every subscriber of the city gets the same object, so its execution is shared (realtime/shared.ts). */
const lives = new WeakMap<EventMessage, LiveEvent>();

function toLive(e: EventMessage): LiveEvent {
  let live = lives.get(e);
  if (!live) {
    live = {
      cityId: e.cityId,
      seq: e.seq,
      kind: e.kind,
      entity: e.entity,
      entityId: e.entityId,
      actionPlanId: e.actionPlanId,
      at: new Date(e.at),
    };
    lives.set(e, live);
  }
  return live;
}

type Args<T> = SubscribeResolverData<unknown, Record<string, unknown>, Context> & { args: T };

/** Replayed events are handed over this many at a time, the event loop free in between. */
export const REPLAY_CHUNK = 64;

/**
 * The event stream of a city: gap-free, in order, optionally replaying from `afterSeq`. The replay
 * is paid from the subscriber's work budget before anything is read, and handed over in chunks of
 * `REPLAY_CHUNK`: between two chunks other work runs, and the next waits while the subscriber's
 * socket is over its buffer limit (it is not reading), so a replay never holds the event loop for
 * more than a chunk nor piles its frames up in memory.
 */
async function subscribeCityEvents({
  args,
  context: ctx,
}: Args<{ cityId: string; afterSeq?: number | null }>): Promise<AsyncIterableIterator<LiveEvent>> {
  const city = await readableCity(ctx, args.cityId);
  const live = liveOf(ctx);
  if (args.afterSeq !== null && args.afterSeq !== undefined) await checkReplay(ctx, live, city.id, args.afterSeq);
  const { feed, release } = await live.bus.acquire(city.id);
  let off: () => void = () => {};
  let unwatch: () => void = () => {};
  let ended = false;
  const channel = new Channel<LiveEvent>(() => {
    ended = true;
    off();
    unwatch();
    release();
  }, 10_000);
  // Ended (NOT_FOUND) if the subscriber loses the right to read the city while it runs.
  unwatch = ctx.liveScope?.watch(city.id, (error) => channel.fail(error)) ?? unwatch;
  let last = args.afterSeq ?? feed.lastSeq;
  let replaying = args.afterSeq !== null && args.afterSeq !== undefined;
  const held: EventMessage[] = [];
  const accept = (e: EventMessage) => {
    if (e.seq <= last) return;
    if (e.seq !== last + 1) {
      channel.fail(new Error(`gap in events (${last} → ${e.seq}): refetch and resubscribe`));
      return;
    }
    last = e.seq;
    channel.push(toLive(e));
  };
  off = feed.listen((e) => {
    if (!replaying) return accept(e);
    // Live events wait for the replay, as many as a subscriber may fall behind.
    if (held.length >= channel.capacity) channel.fail(new Error('subscriber too slow: refetch and subscribe again'));
    else held.push(e);
  });
  if (replaying) {
    // Replay what the client missed, then what arrived meanwhile, then go live.
    const replay = async () => {
      const events = await eventsAfter(live.orm, city.id, last);
      for (let i = 0; i < events.length && !ended; i += REPLAY_CHUNK) {
        if (i > 0) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          await ctx.liveScope?.writable?.();
        }
        for (const e of events.slice(i, i + REPLAY_CHUNK)) if (!ended) accept(e);
      }
      replaying = false;
      for (const e of held.splice(0)) accept(e);
    };
    void replay().catch((error: unknown) => channel.fail(error instanceof Error ? error : new Error(String(error))));
  }
  return channel;
}

/**
 * Refuses a replay that can't be served: `afterSeq` below 0 or beyond the city's head
 * (BAD_USER_INPUT, field `afterSeq`), or more than `maxReplay` events back (BAD_USER_INPUT with
 * `limit: "replay"`: the client refetches its snapshot instead); then spends it from the
 * subscriber's work budget, each event an operation's overhead and the selection's cost
 * (RATE_LIMITED when the budget does not hold it: nothing is replayed).
 */
async function checkReplay(ctx: Context, live: LiveService, cityId: string, afterSeq: number): Promise<void> {
  const head = await latestSeq(live.orm, cityId);
  if (afterSeq < 0 || afterSeq > head)
    throw new AppError(ErrorCode.BAD_USER_INPUT, t('afterSeqRange', { head }, ctx.locale), { field: 'afterSeq', max: head });
  if (head - afterSeq > live.maxReplay) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, t('replayTooLong', { count: head - afterSeq, max: live.maxReplay }, ctx.locale), {
      field: 'afterSeq',
      limit: 'replay',
      max: live.maxReplay,
      head,
    });
  }
  const perEvent = WORK_UNITS.operation + (ctx.operationCost ?? 1);
  ctx.services.work?.spend(workSubject(ctx.principal, ctx.clientIp), (head - afterSeq) * perEvent);
}

/** Live subscriptions. Each is authorised like the matching query, at subscribe time. */
@Resolver()
export class LiveResolver {
  @Subscription(() => LiveEvent, {
    description:
      'Every change in a city, in `seq` order with no gap or duplicate. `afterSeq` replays the changes after it first (from the outbox).',
    // No fresh entity manager per event: a CityEvent's fields are the event's own scalars.
    subscribe: (data: SubscribeResolverData<unknown, Record<string, unknown>, Context>) =>
      subscribeCityEvents(data as Args<{ cityId: string; afterSeq?: number | null }>),
  })
  @Extensions(liveField({ share: 'event', replayArg: 'afterSeq' }))
  cityEvents(
    @Root() event: LiveEvent,
    @Arg('cityId', () => ID) _cityId: string,
    @Arg('afterSeq', () => Int, {
      nullable: true,
      description:
        'Replay the events after this seq before going live: from 0 to the latest seq, at most LIVE_MAX_REPLAY (1 000) events back; further back answers BAD_USER_INPUT with `limit: "replay"` (refetch the snapshot instead).',
    })
    _afterSeq: number | null,
  ): LiveEvent {
    return event;
  }

  @Subscription(() => CityOverview, {
    description:
      'The city overview (the same shape as City.overview), pushed at once and then whenever it changes; bursts of changes are coalesced into one push.',
    subscribe: async ({ args, context: ctx }: SubscribeResolverData<unknown, Record<string, unknown>, Context>) => {
      const a = args as { cityId: string; basis: ProgressBasis };
      const city = await readableCity(ctx, a.cityId);
      let stop: () => void = () => {};
      let unwatch: () => void = () => {};
      const channel = new Channel<CityOverview>(() => {
        stop();
        unwatch();
      }, 100);
      unwatch = ctx.liveScope?.watch(city.id, (error) => channel.fail(error)) ?? unwatch;
      stop = await liveOf(ctx).summary(city.id, a.basis, ctx.locale, (overview) => channel.push(overview));
      return liveOf(ctx).fresh(ctx, channel);
    },
  })
  @Extensions(liveField({ share: 'city' }))
  citySummary(
    @Root() overview: CityOverview,
    @Arg('cityId', () => ID) _cityId: string,
    @Arg('basis', () => ProgressBasis, { defaultValue: ProgressBasis.ALL }) _basis: ProgressBasis,
  ): CityOverview {
    return overview;
  }

  @Subscription(() => Readiness, {
    description:
      "The city's monev readiness (the same shape as City.readiness), pushed at once and after every change: evidence attached, a score changed, a report verified… Bursts are coalesced.",
    subscribe: async ({ args, context: ctx }: SubscribeResolverData<unknown, Record<string, unknown>, Context>) => {
      const a = args as { cityId: string; year?: number | null };
      const city = await readableCity(ctx, a.cityId);
      const year = readinessYear(city, a.year, ctx.now);
      let stop: () => void = () => {};
      let unwatch: () => void = () => {};
      const channel = new Channel<Readiness>(() => {
        stop();
        unwatch();
      }, 100);
      unwatch = ctx.liveScope?.watch(city.id, (error) => channel.fail(error)) ?? unwatch;
      stop = await liveOf(ctx).readiness(city.id, year, ctx.locale, (r) => channel.push(r));
      return liveOf(ctx).fresh(ctx, channel);
    },
  })
  @Extensions(liveField({ share: 'city' }))
  readiness(
    @Root() readiness: Readiness,
    @Arg('cityId', () => ID) _cityId: string,
    @Arg('year', () => Int, { nullable: true, description: "Default: the city's current year." }) _year: number | null,
  ): Readiness {
    return readiness;
  }

  @Subscription(() => ActionPlan, {
    description: "One action plan's live state: sent at once, then after every change to it (reports, verification, edits, archive).",
    subscribe: async ({ args, context: ctx }: SubscribeResolverData<unknown, Record<string, unknown>, Context>) => {
      const plan = await readablePlan(ctx, (args as { id: string }).id);
      policy.assertRead(ctx.principal, plan.city.id, 'ActionPlan', plan.id);
      let stop: () => void = () => {};
      let unwatch: () => void = () => {};
      const channel = new Channel<ActionPlan>(() => {
        stop();
        unwatch();
      }, 100);
      unwatch = ctx.liveScope?.watch(plan.city.id, (error) => channel.fail(error)) ?? unwatch;
      stop = await liveOf(ctx).plan(plan.city.id, plan.id, (p) => {
        if (p) channel.push(p);
      });
      return liveOf(ctx).fresh(ctx, channel);
    },
  })
  actionPlan(@Root() plan: ActionPlan, @Arg('id', () => ID) _id: string): ActionPlan {
    return plan;
  }
}

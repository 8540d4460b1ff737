import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { notFound } from '../../errors';
import { City } from '../cities/city.entity';
import { readableCity } from '../cities/city.service';
import { VersionedInput } from '../../graphql/crud';
import { check } from '../../util/validate';
import { inTransaction, loadForWrite, resolveManagedParent } from '../../events/writes';
import { User } from '../users/user.entity';
import { formatScreenToken, hashScreenSecret, newScreenSecret } from './screen-secret';
import { ScreenToken } from './screen-token.entity';

@InputType({ description: 'A new read-only token for a meeting-room screen of one city.' })
class CreateScreenTokenInput {
  @Field(() => ID) cityId!: string;
  @Field(() => String, { description: 'Where the screen is, e.g. "Ruang Rapat Bappelitbang" (at most 200 characters).' }) label!: string;
}

@ObjectType({ description: 'A new screen token. The token is shown only this once; Pantau keeps only its hash.' })
class CreateScreenTokenPayload {
  @Field(() => String, {
    description:
      'The token, `pst_<id>.<secret>`: send it as `Authorization: Bearer <token>` over HTTP, or as `{ "authorization": "Bearer <token>" }` in the WebSocket `connection_init`. Shown only once.',
  })
  token!: string;

  @Field(() => ScreenToken) screenToken!: ScreenToken;

  @Field(() => String, {
    description: [
      "The meeting-room screen's address with everything filled in: `<origin>/dashboard/#city=<cityId>&token=<token>&views=ringkasan,opd,dimensi,tren&rotate=30&lang=id`",
      '(values URL-encoded; in the fragment, so the token never reaches a server log). Contains the token: shown only once, like it.',
      "It starts with the server's PUBLIC_URL. Without PUBLIC_URL it is a path (`/dashboard/#…`) to open on the address you reach Pantau at",
      '(the desk completes it with its own); only a development server reached at localhost answers its whole address. Never built from a Host header.',
    ].join(' '),
  })
  dashboardUrl!: string;
}

/** The views a new screen rotates through, in order, and how long it shows each (seconds). */
const SCREEN_VIEWS = ['ringkasan', 'opd', 'dimensi', 'tren'];
const SCREEN_ROTATE_SECONDS = 30;

/** The kiosk address of the dashboard for a city's screen token (see `CreateScreenTokenPayload.dashboardUrl`). */
export function screenDashboardUrl(origin: string, cityId: string, token: string): string {
  const fragment = [
    `city=${encodeURIComponent(cityId)}`,
    `token=${encodeURIComponent(token)}`,
    `views=${SCREEN_VIEWS.map(encodeURIComponent).join(',')}`,
    `rotate=${SCREEN_ROTATE_SECONDS}`,
    'lang=id',
  ].join('&');
  return `${origin}/dashboard/#${fragment}`;
}

/**
 * Screen tokens: a city admin (or a platform admin) creates, lists and revokes read-only tokens
 * for the city's meeting-room screens. A screen reads its one city (queries and subscriptions) and
 * never writes; a revoked token stops working at once and its open WebSocket closes within seconds.
 */
@Resolver(() => ScreenToken)
export class ScreenTokenResolver {
  @Mutation(() => CreateScreenTokenPayload, {
    description:
      'Creates a read-only token for a meeting-room screen of one city (city admins of the city, platform admins). The token is in the answer, once.',
  })
  async createScreenToken(
    @Arg('input', () => CreateScreenTokenInput) input: CreateScreenTokenInput,
    @Ctx() ctx: Context,
  ): Promise<CreateScreenTokenPayload> {
    const secret = newScreenSecret();
    const screenToken = await inTransaction(ctx, 'ScreenToken', async (em) => {
      const city = await resolveManagedParent(em, City, 'City', input.cityId, 'cityId', (c) => c.id, ctx.principal);
      const p = policy.assertManageScreens(ctx.principal, city.id);
      const row = new ScreenToken(city, check.text('label', input.label, 200), hashScreenSecret(secret), em.getReference(User, p.userId));
      em.persist(row);
      return row;
    });
    const token = formatScreenToken(screenToken.id, secret);
    const origin = ctx.services.publicUrl ?? ctx.requestOrigin ?? '';
    return { token, screenToken, dashboardUrl: screenDashboardUrl(origin, screenToken.city.id, token) };
  }

  @Mutation(() => ScreenToken, {
    description:
      "Revokes a screen token: it stops working at once and the screen's open WebSocket closes within seconds. Revoking a revoked token changes nothing.",
  })
  async revokeScreenToken(@Arg('input', () => VersionedInput) input: VersionedInput, @Ctx() ctx: Context): Promise<ScreenToken> {
    return inTransaction(ctx, 'ScreenToken', async (em) => {
      const row = await loadForWrite(em, ScreenToken, 'ScreenToken', input.id, input.expectedVersion, (r) => {
        policy.assertManageScreens(ctx.principal, r.city.id, r.id);
      });
      row.revokedAt ??= ctx.services.clock();
      return row;
    });
  }

  @Query(() => [ScreenToken], {
    description: "A city's screen tokens, newest first, revoked ones included (city admins of the city, platform admins).",
  })
  async screenTokens(@Arg('cityId', () => ID) cityId: string, @Ctx() ctx: Context): Promise<ScreenToken[]> {
    policy.requireLogin(ctx.principal);
    const city = await readableCity(ctx, cityId);
    policy.assertManageScreens(ctx.principal, city.id);
    return ctx.em.find(ScreenToken, { city: city.id, archivedAt: null }, { orderBy: { id: 'desc' } });
  }

  @FieldResolver(() => City, { description: 'The one city the screen may read.' })
  async city(@Root() token: ScreenToken, @Ctx() ctx: Context): Promise<City> {
    const city = await ctx.loaders.byId(City).load(token.city.id);
    if (!city) throw notFound('City', token.city.id);
    return city;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The name of who created the token.' })
  async createdByName(@Root() token: ScreenToken, @Ctx() ctx: Context): Promise<string | null> {
    const user = await ctx.loaders.byId(User).load(token.createdBy.id);
    return user?.name ?? null;
  }
}

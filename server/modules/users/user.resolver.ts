import { decodeJwt } from 'jose';
import { Arg, Ctx, Field, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { policy, type Principal } from '../../auth/policy';
import { principalOf } from '../../auth/principal';
import { verifyPassword, hashPassword } from '../../auth/passwords';
import type { Context } from '../../context';
import { unauthenticated } from '../../errors';
import { User, Viewer } from './user.entity';

@InputType({ description: 'Credentials for `login`.' })
class LoginInput {
  @Field(() => String) email!: string;
  @Field(() => String) password!: string;
}

@ObjectType({ description: 'A session token: send it as `Authorization: Bearer <token>`.' })
class LoginPayload {
  @Field(() => String) token!: string;
  @Field(() => Date, { description: 'When the token stops working.' }) expiresAt!: Date;
  @Field(() => Viewer) viewer!: Viewer;
}

// A real hash of a random password, verified when the email is unknown so that a wrong email and a
// wrong password take the same time (no account enumeration by timing).
let decoyHash: Promise<string> | null = null;
function decoy(): Promise<string> {
  decoyHash ??= hashPassword(`decoy-${Math.random()}`);
  return decoyHash;
}

/** The GraphQL view of a principal. */
export function toViewer(p: Principal): Viewer {
  return {
    id: p.userId,
    email: p.email,
    name: p.name,
    role: p.role,
    cityId: p.cityId,
    cityIds: [...p.cityIds],
    opdId: p.opdId,
    permissions: policy.permissions(p),
  };
}

/** Logging in and asking who one is. */
@Resolver()
export class UserResolver {
  @Mutation(() => LoginPayload, { description: 'Exchanges email and password for a token.' })
  async login(@Arg('input', () => LoginInput) input: LoginInput, @Ctx() ctx: Context): Promise<LoginPayload> {
    const email = input.email.trim().toLowerCase().slice(0, 254);
    // Counted before anything else (RATE_LIMITED, HTTP 429, when over a limit); a refused attempt never checks the password.
    const attempt = await ctx.services.loginLimiter.attempt(email, ctx.clientIp);
    const cacheVersion = ctx.services.principals?.version;
    const user = await ctx.em.findOne(User, { email, archivedAt: null }, { populate: ['passwordHash'] });
    const ok = await verifyPassword(user?.passwordHash ?? (await decoy()), input.password.slice(0, 1_000));
    if (!user || !ok) throw unauthenticated('badCredentials');
    await attempt.succeeded();
    const token = await ctx.services.tokens.sign(user.id, user.sessionGeneration);
    const principal = principalOf(user);
    // The token's first requests need no verification or lookup (dropped like any other on a revocation).
    if (cacheVersion !== undefined)
      ctx.services.principals?.remember(
        token,
        principal,
        (decodeJwt(token).exp ?? 0) * 1_000,
        cacheVersion,
        Math.max(Date.now(), ctx.services.clock().getTime()),
      );
    return { token, expiresAt: new Date(ctx.services.clock().getTime() + ctx.services.tokens.ttlMs), viewer: toViewer(principal) };
  }

  @Query(() => Viewer, { nullable: true, description: 'Who is logged in and what they may do; null without a token.' })
  me(@Ctx() ctx: Context): Viewer | null {
    return ctx.principal ? toViewer(ctx.principal) : null;
  }
}

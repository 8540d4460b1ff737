import { createHash } from 'node:crypto';
import {
  getOperationAST,
  Kind,
  print,
  subscribe as graphqlSubscribe,
  type ExecutionArgs,
  type ExecutionResult,
  type ValueNode,
} from 'graphql';
import { policy, type Principal } from '../auth/policy';
import { notFound } from '../errors';
import { Channel } from './channel';

/** What sharing needs of a subscriber's context (a `Context`; named apart so this file needs no import of it). */
interface Reader {
  principal: Principal | null;
  locale: string;
  liveScope?: LiveScope | undefined;
}

/** Lets a live operation register the city it reads, so a change of its subject's permissions can end it. */
export interface LiveScope {
  /** Watches an operation reading `cityId`; `end` is called if the subject may no longer read it. Returns the removal. */
  watch(cityId: string, end: (error: Error) => void): () => void;
}


/** The root fields whose results are the same for every reader of a city (content scoped by city only). */
const SHARED_FIELDS = new Set(['citySummary', 'readiness']);

/**
 * "Execute once, send many": identical live subscriptions (same document, variables and language,
 * on a field whose result depends only on the city) share one GraphQL execution per change on this
 * instance. Every subscriber is still authorised for the city on its own. (Serialisation is still
 * per socket: graphql-ws frames each message with its subscription id. `JSON.rawJSON` cannot help,
 * it accepts only primitive JSON text, not an object; splicing one serialised payload into each
 * frame is the way to serialise once.)
 */
export class SharedSubscriptions {
  private readonly runs = new Map<string, SharedRun>();

  /** How many shared runs exist (tests). */
  get size(): number {
    return this.runs.size;
  }

  /** graphql-ws `subscribe`: shares where it can, otherwise plain graphql-js. */
  async subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const shared = this.sharedKey(args);
    if (!shared) return graphqlSubscribe(args);
    const ctx = args.contextValue as Reader;
    if (!ctx.principal || !policy.canReadCity(ctx.principal, shared.cityId)) {
      return { errors: [notFound('City', shared.cityId)] };
    }
    let run = this.runs.get(shared.key);
    if (!run) {
      // The shared execution belongs to no subscriber: it must not end when the first one loses access.
      const source = await graphqlSubscribe({ ...args, contextValue: { ...ctx, liveScope: undefined } });
      if (!isAsyncIterable(source)) return source; // errors (e.g. unknown city): nothing to share
      run = new SharedRun(source, () => this.runs.delete(shared.key));
      this.runs.set(shared.key, run);
    }
    const channel = run.join();
    // Each subscriber is ended (NOT_FOUND) on its own if it loses the right to read the city.
    const unwatch = ctx.liveScope?.watch(shared.cityId, (error) => channel.fail(error));
    if (unwatch) channel.onEnd(unwatch);
    return channel;
  }

  private sharedKey(args: ExecutionArgs): { key: string; cityId: string } | null {
    const operation = getOperationAST(args.document, args.operationName ?? undefined);
    if (operation?.operation !== 'subscription' || operation.selectionSet.selections.length !== 1) return null;
    const field = operation.selectionSet.selections[0];
    if (field?.kind !== Kind.FIELD || !SHARED_FIELDS.has(field.name.value)) return null;
    const cityArg = field.arguments?.find((a) => a.name.value === 'cityId');
    const cityId = cityArg ? valueOf(cityArg.value, args.variableValues ?? {}) : null;
    if (typeof cityId !== 'string') return null;
    const ctx = args.contextValue as Reader;
    const key = createHash('sha256')
      .update(print(args.document))
      .update('\0')
      .update(JSON.stringify(args.variableValues ?? {}))
      .update('\0')
      .update(`${args.operationName ?? ''}\0${ctx.locale}`)
      .digest('hex');
    return { key, cityId };
  }
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.STRING) return node.value;
  return null;
}

function isAsyncIterable(value: unknown): value is AsyncIterableIterator<ExecutionResult> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })?.[Symbol.asyncIterator] === 'function';
}

/** One source execution, fanned out to every subscriber; the latest result greets new ones. */
class SharedRun {
  private last: ExecutionResult | null = null;
  private readonly subscribers = new Set<Channel<ExecutionResult>>();

  constructor(private readonly source: AsyncIterableIterator<ExecutionResult>, private readonly onEmpty: () => void) {
    void this.pump();
  }

  join(): Channel<ExecutionResult> {
    const channel: Channel<ExecutionResult> = new Channel(() => {
      this.subscribers.delete(channel);
      if (this.subscribers.size === 0) {
        this.onEmpty();
        void this.source.return?.();
      }
    }, 100);
    this.subscribers.add(channel);
    if (this.last) channel.push(this.last);
    return channel;
  }

  private async pump(): Promise<void> {
    try {
      for await (const result of this.source) {
        this.last = result;
        for (const subscriber of this.subscribers) subscriber.push(this.last);
      }
    } catch (error) {
      for (const subscriber of this.subscribers) subscriber.fail(error as Error);
    }
    for (const subscriber of [...this.subscribers]) void subscriber.return();
  }
}

import { createHash } from 'node:crypto';
import {
  OperationTypeNode,
  createSourceEventStream,
  execute,
  getOperationAST,
  Kind,
  print,
  subscribe as graphqlSubscribe,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type ValueNode,
} from 'graphql';
import { policy, type Principal } from '../auth/policy';
import { notFound } from '../errors';
import { copyWith } from '../util/copy';
import { Channel, isDivertible, type Divertible } from '../events/channel';
import { markShared } from './frames';
import { liveFieldOf } from '../graphql/live-fields';
import { patcherFor, type Patcher } from './patched';

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
  /** Resolves when the socket may be given more (at once unless its unsent bytes are over the limit; or once it closed). */
  writable?(): Promise<void>;
}

/*
 * Which root fields are shared, and how, is declared on each field (`@Extensions(liveField(…))`,
 * graphql/live-fields.ts): `share: 'city'` fields give the same result to every reader of a city (content
 * scoped by city only); `share: 'event'` fields have every source event one object for all
 * subscribers of a city on this instance, and a result that depends only on that event (scalars of
 * the event: no database, no viewer), the document, the variables and the language. Each subscriber
 * of those keeps its own source stream (authorised, replayed from its `replayArg`, gap-checked on
 * its own); only the execution of a live event is shared, the replay point left out of the key.
 */

/**
 * "Execute once, send many": identical live subscriptions (same document, variables and language,
 * on a field whose result depends only on the city) share one GraphQL execution per change on this
 * instance, and its result is serialised once for all their sockets (frames.ts). Every subscriber
 * is still authorised for the city on its own.
 */
export class SharedSubscriptions {
  /**
   * The shared run of each key, as a promise set before its source is subscribed: subscribers that
   * arrive while it starts (a room of screens connecting at once) wait for it and join it instead of
   * each starting a run of their own. Resolves to the errors of a source that could not start.
   */
  private readonly runs = new Map<string, Promise<SharedRun | ExecutionResult>>();
  /**
   * How many shared runs were started, how many source results they executed, and how many
   * subscribers joined them (each greeted with a whole state), in all (tests, benchmark).
   */
  readonly counters = { runs: 0, executions: 0, joins: 0 };

  /** How many shared runs exist (tests). */
  get size(): number {
    return this.runs.size;
  }

  /** graphql-ws `subscribe`: shares where it can, otherwise plain graphql-js. */
  async subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const perEvent = this.perEventKey(args);
    if (perEvent) return this.subscribePerEvent(args, perEvent);
    const shared = this.sharedKey(args);
    if (!shared) return graphqlSubscribe(args);
    const ctx = args.contextValue as Reader;
    if (!ctx.principal || !policy.canReadCity(ctx.principal, shared.cityId)) {
      return { errors: [notFound('City', shared.cityId)] };
    }
    const channel = await this.join(shared.key, args, ctx, shared.patch);
    if (!(channel instanceof Channel)) return channel; // errors (e.g. unknown city): nothing to share
    // Each subscriber is ended (NOT_FOUND) on its own if it loses the right to read the city.
    const unwatch = ctx.liveScope?.watch(shared.cityId, (error) => channel.fail(error));
    if (unwatch) channel.onEnd(unwatch);
    return channel;
  }

  /**
   * Joins the run of `key`, starting it if there is none. The run is in the map from the moment it
   * starts (a promise), so that concurrent subscribers never start a second one: a run left out of
   * the map would still execute and serialise every change for its own subscribers.
   */
  private async join(
    key: string,
    args: ExecutionArgs,
    ctx: Reader,
    patch: Patcher | null,
  ): Promise<Channel<ExecutionResult> | ExecutionResult> {
    for (;;) {
      let pending = this.runs.get(key);
      if (!pending) {
        const started: Promise<SharedRun | ExecutionResult> = (async () => {
          // The shared execution belongs to no subscriber: it must not end when the first one loses access.
          const source = await graphqlSubscribe({ ...args, contextValue: copyWith(ctx, { liveScope: undefined }) });
          if (!isAsyncIterable(source)) return source;
          this.counters.runs++;
          return new SharedRun(
            source,
            () => {
              if (this.runs.get(key) === started) this.runs.delete(key);
            },
            () => this.counters.executions++,
            patch,
          );
        })();
        pending = started;
        this.runs.set(key, started);
        // A source that could not start is not kept: the next subscriber tries again.
        started.then(
          (run) => {
            if (!(run instanceof SharedRun) && this.runs.get(key) === started) this.runs.delete(key);
          },
          () => {
            if (this.runs.get(key) === started) this.runs.delete(key);
          },
        );
      }
      const run = await pending;
      if (!(run instanceof SharedRun)) return run;
      // Emptied (and ended) while this subscriber waited: start or join the next one.
      if (run.ended) continue;
      this.counters.joins++;
      return run.join();
    }
  }

  /**
   * graphql-js `subscribe` for one subscriber (its own source stream), except that each source
   * event is executed once per key: subscribers whose events are the same objects get the same
   * result object, serialised once.
   */
  private async subscribePerEvent(args: ExecutionArgs, key: string): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterable(stream)) return stream as ExecutionResult;
    const source = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const run = (event: unknown): ExecutionResult | Promise<ExecutionResult> => {
      if (typeof event !== 'object' || event === null) return execute({ ...args, rootValue: event });
      let byKey = executions.get(event);
      if (!byKey) executions.set(event, (byKey = new Map<string, ExecutionResult | Promise<ExecutionResult>>()));
      let result = byKey.get(key);
      if (result === undefined) {
        // Executed with this subscriber's context: the fields read the event only (no viewer, no database).
        const executed = execute({ ...args, rootValue: event });
        if (isPromise(executed)) {
          const settled = executed.then((r) => {
            byKey.set(key, markShared(r));
            return r;
          });
          byKey.set(key, settled);
          result = settled;
        } else {
          byKey.set(key, (result = markShared(executed)));
        }
      }
      return result;
    };
    return new PerEventStream(source, run);
  }

  /** The key of a per-event shared subscription (see PER_EVENT_FIELDS), or null. */
  private perEventKey(args: ExecutionArgs): string | null {
    const operation = getOperationAST(args.document, args.operationName ?? undefined);
    if (operation?.operation !== OperationTypeNode.SUBSCRIPTION || operation.selectionSet.selections.length !== 1) return null;
    const field = operation.selectionSet.selections[0];
    if (field?.kind !== Kind.FIELD) return null;
    const live = liveFieldOf(args.schema, field.name.value);
    const replayArg = live?.share === 'event' ? live.replayArg : undefined;
    if (!replayArg) return null;
    const variables: Record<string, unknown> = { ...(args.variableValues ?? {}) };
    const replay = field.arguments?.find((a) => a.name.value === replayArg)?.value;
    if (replay?.kind === Kind.VARIABLE) {
      // Left out of the key when the replay argument is its only use.
      if (variableUses(args.document, replay.name.value) === 1) delete variables[replay.name.value];
    } else if (replay && replay.kind !== Kind.NULL) {
      return null; // a literal replay point: rare, not shared
    }
    const ctx = args.contextValue as Reader;
    return createHash('sha256')
      .update(`${field.name.value}\0${printed(args.document)}\0${JSON.stringify(variables)}\0${args.operationName ?? ''}\0${ctx.locale}`)
      .digest('base64');
  }

  private sharedKey(args: ExecutionArgs): { key: string; cityId: string; patch: Patcher | null } | null {
    const operation = getOperationAST(args.document, args.operationName ?? undefined);
    if (operation?.operation !== OperationTypeNode.SUBSCRIPTION || operation.selectionSet.selections.length !== 1) return null;
    const field = operation.selectionSet.selections[0];
    if (field?.kind !== Kind.FIELD) return null;
    const live = liveFieldOf(args.schema, field.name.value);
    if (live?.share !== 'city') return null;
    const cityArg = field.arguments?.find((a) => a.name.value === 'cityId');
    const cityId = cityArg ? valueOf(cityArg.value, args.variableValues ?? {}) : null;
    if (typeof cityId !== 'string') return null;
    const ctx = args.contextValue as Reader;
    const key = createHash('sha256')
      .update(printed(args.document))
      .update('\0')
      .update(JSON.stringify(args.variableValues ?? {}))
      .update('\0')
      .update(`${args.operationName ?? ''}\0${ctx.locale}`)
      .update(live.perViewer ? `\0${viewerClass(ctx.principal)}` : '')
      .digest('hex');
    return { key, cityId, patch: live.patch ? patcherFor(args) : null };
  }
}

/** Who reads, as far as what a city's content may show them can depend on it. */
function viewerClass(principal: Principal | null): string {
  if (!principal) return '';
  return `${principal.role}:${principal.opdId ?? ''}:${principal.isScreen ? 'screen' : 'person'}`;
}

/** Printed documents (the pipeline hands identical operations the same document object). */
const prints = new WeakMap<DocumentNode, string>();

function printed(document: DocumentNode): string {
  let text = prints.get(document);
  if (text === undefined) prints.set(document, (text = print(document)));
  return text;
}

/** Per source event: its execution per key (dropped with the event). */
const executions = new WeakMap<object, Map<string, ExecutionResult | Promise<ExecutionResult>>>();

/** How often a variable is used (not declared) in a document. */
function variableUses(document: DocumentNode, name: string): number {
  let uses = 0;
  visit(document, {
    VariableDefinition: () => false,
    Variable(node) {
      if (node.name.value === name) uses++;
    },
  });
  return uses;
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.STRING) return node.value;
  return null;
}

function isAsyncIterable(value: unknown): value is AsyncIterableIterator<ExecutionResult> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })?.[Symbol.asyncIterator] === 'function';
}

/**
 * One source execution, fanned out to every subscriber; the latest result greets new ones. With a
 * patcher, subscribers are sent what changed since the previous result (patched.ts); a new one is
 * still greeted with the whole latest result.
 */
class SharedRun {
  private last: ExecutionResult | null = null;
  private readonly subscribers = new Set<Channel<ExecutionResult>>();
  /** Its last subscriber left (its source is ended): it takes no more. */
  ended = false;

  constructor(
    private readonly source: AsyncIterableIterator<ExecutionResult>,
    private readonly onEmpty: () => void,
    private readonly onResult: () => void,
    private readonly patch: Patcher | null = null,
  ) {
    void this.pump();
  }

  join(): Channel<ExecutionResult> {
    const channel: Channel<ExecutionResult> = new Channel(() => {
      this.subscribers.delete(channel);
      if (this.subscribers.size === 0 && !this.ended) {
        this.ended = true;
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
        this.onResult();
        const previous = this.last;
        this.last = markShared(result);
        const sent = this.patch && previous ? markShared(this.patch(previous, this.last)) : this.last;
        for (const subscriber of this.subscribers) subscriber.push(sent);
      }
    } catch (error) {
      for (const subscriber of this.subscribers) subscriber.fail(error as Error);
    }
    for (const subscriber of [...this.subscribers]) void subscriber.return();
    // A source that ended by itself takes no one more: the next subscriber starts a new run.
    if (!this.ended) {
      this.ended = true;
      this.onEmpty();
    }
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * One subscriber's results of a per-event shared subscription: its own source stream, each event
 * executed once per key (`run`). Divertible when its source is: the results then go to the sink in
 * event order, synchronously when the execution is (it is for the event's own scalars).
 */
class PerEventStream implements AsyncIterableIterator<ExecutionResult>, Divertible<ExecutionResult> {
  /** Results not yet given to the sink, in event order (only while the first of them is still executing). */
  private queue: (ExecutionResult | Promise<ExecutionResult>)[] = [];

  constructor(
    private readonly source: AsyncIterator<unknown>,
    private readonly run: (event: unknown) => ExecutionResult | Promise<ExecutionResult>,
  ) {}

  async next(): Promise<IteratorResult<ExecutionResult>> {
    const step = await this.source.next();
    return step.done ? { value: undefined, done: true } : { value: await this.run(step.value), done: false };
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.source.throw?.(error);
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }

  /** Whether its results can go to a sink (its source is divertible). */
  get divertible(): boolean {
    return isDivertible(this.source);
  }

  get capacity(): number {
    return isDivertible(this.source) ? this.source.capacity : 0;
  }

  divert(sink: (value: ExecutionResult) => void): void {
    if (!isDivertible(this.source)) throw new Error('not divertible');
    this.source.divert((event) => {
      const result = this.run(event);
      if (this.queue.length === 0 && !isPromise(result)) return sink(result);
      this.queue.push(result);
      if (this.queue.length === 1) this.deliver(sink);
    });
  }

  fail(error: Error): void {
    if (isDivertible(this.source)) this.source.fail(error);
  }

  onEnd(callback: () => void): void {
    if (isDivertible(this.source)) this.source.onEnd(callback);
  }

  /**
   * Gives the queued results to the sink in order. An execution still running is waited for with
   * every other subscriber of the event (`onSettled`: one callback list per execution, not one
   * awaiting function per subscriber: thousands of sockets wait for the same one).
   */
  private deliver(sink: (value: ExecutionResult) => void): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (isPromise(head)) {
        onSettled(
          head,
          (result) => {
            if (this.queue[0] !== head) return; // failed meanwhile
            this.queue[0] = result;
            this.deliver(sink);
          },
          (error) => {
            this.queue.length = 0;
            this.fail(error instanceof Error ? error : new Error(String(error)));
          },
        );
        return;
      }
      void this.queue.shift(); // head, given to the sink next
      sink(head);
    }
  }
}

/** Who waits for an execution, and once it has settled, how (see `onSettled`). */
interface Settling {
  waiting: { done: (r: ExecutionResult) => void; failed: (e: unknown) => void }[];
  outcome?: { result: ExecutionResult } | { error: unknown };
}
const settling = new WeakMap<Promise<ExecutionResult>, Settling>();

/**
 * Calls `done` (or `failed`) when `execution` settles: one `then` per execution, however many
 * wait; at once when it already has (a subscriber reaches a later event's execution only after its
 * earlier ones, and that one may have settled first).
 */
function onSettled(execution: Promise<ExecutionResult>, done: (r: ExecutionResult) => void, failed: (e: unknown) => void): void {
  let state = settling.get(execution);
  if (!state) {
    const created: Settling = { waiting: [] };
    settling.set(execution, (state = created));
    void execution.then(
      (result) => {
        created.outcome = { result };
        for (const w of created.waiting.splice(0)) {
          try {
            w.done(result);
          } catch (error) {
            w.failed(error);
          }
        }
      },
      (error: unknown) => {
        created.outcome = { error };
        for (const w of created.waiting.splice(0)) w.failed(error);
      },
    );
  }
  const outcome = state.outcome;
  if (!outcome) state.waiting.push({ done, failed });
  else if ('result' in outcome) done(outcome.result);
  else failed(outcome.error);
}

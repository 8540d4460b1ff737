import { performance } from 'node:perf_hooks';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors';
import { t, type Locale } from '../i18n';

/**
 * The work budget of one query (or one subscription event): a wall-clock deadline and a cap on the
 * objects and list items returned. Every field resolver checks it (`guardExecution`); once broken,
 * every later field fails at once, so the server stops working on it, and the response is the
 * one limit error (`formatResult`).
 */
export class OperationBudget {
  private deadline: number;
  private nodes = 0;
  /** The limit error once a limit is broken; every later field throws it. */
  broken: GraphQLError | null = null;

  constructor(
    private readonly maxMs: number,
    private readonly maxNodes: number,
    private readonly locale: Locale,
  ) {
    this.deadline = performance.now() + maxMs;
  }

  /** Starts afresh: each event of a subscription gets the whole budget. */
  restart(): void {
    this.deadline = performance.now() + this.maxMs;
    this.nodes = 0;
    this.broken = null;
  }

  /** Throws the limit error when the budget is spent. */
  check(): void {
    if (this.broken) throw this.broken;
    if (performance.now() > this.deadline) throw this.break('time', this.maxMs);
  }

  /** Counts a resolved value: a list's items, or one object. */
  count(value: unknown): void {
    if (Array.isArray(value)) this.nodes += value.length;
    else if (value !== null && typeof value === 'object') this.nodes += 1;
    else return;
    if (this.nodes > this.maxNodes) throw this.break('nodes', this.maxNodes);
  }

  private break(limit: 'time' | 'nodes', max: number): GraphQLError {
    this.broken ??= new GraphQLError(t(limit === 'time' ? 'limitTime' : 'limitNodes', { max }, this.locale), {
      extensions: { code: ErrorCode.BAD_USER_INPUT, limit, max },
    });
    return this.broken;
  }
}

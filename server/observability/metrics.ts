// Prometheus metrics of one instance (prom-client), served at /metrics. Every label has a bounded
// set of values: operations are named by their root field (which the schema bounds, once the
// operation has validated), codes and close codes come from known lists, and anything else is
// `other`; a cap per label guards against a mistake here.
import client from 'prom-client';
import { SocketCloseCode } from '../realtime/close-codes';

/** The kinds of GraphQL operation, as labels. */
export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';

/** How a request ended: fine, refused for the client's sake (4xx, a coded error), or failed on the server (5xx, INTERNAL). */
export type Outcome = 'ok' | 'client_error' | 'server_error';

/** The most distinct values one label takes; beyond, `other`. */
const MAX_LABEL_VALUES = 200;
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
const CODE = /^[A-Z][A-Z0-9_]{0,47}$/;
/** Close codes counted by their number: the standard ones and Pantau's (`SocketCloseCode`); anything a client invents is `other`. */
const CLOSE_CODES = new Set<number>([
  1000,
  1001,
  1005,
  1006,
  1011,
  ...Object.values(SocketCloseCode).filter((v): v is number => typeof v === 'number'),
]);

/** Keeps a label's values bounded: a value that fails `valid`, or one past the cap, is `other`. */
class LabelSet {
  private readonly seen = new Set<string>();
  constructor(private readonly valid: RegExp) {}
  of(value: string | null | undefined): string {
    if (!value || !this.valid.test(value)) return 'other';
    if (this.seen.has(value)) return value;
    if (this.seen.size >= MAX_LABEL_VALUES) return 'other';
    this.seen.add(value);
    return value;
  }
}

/** Process-wide metrics (CPU, memory, event-loop delay, GC): one set per process, whatever the instances in it. */
let processRegistry: client.Registry | null = null;
function processMetrics(): client.Registry {
  if (!processRegistry) {
    processRegistry = new client.Registry();
    // Includes nodejs_eventloop_lag_seconds and its p50/p90/p99 (perf_hooks.monitorEventLoopDelay).
    client.collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 20 });
  }
  return processRegistry;
}

/** The instance's metrics; one method per thing that happens. */
export class Metrics {
  private readonly registry = new client.Registry();
  private readonly operations = new LabelSet(NAME);
  private readonly kinds = new LabelSet(NAME);
  private readonly codes = new LabelSet(CODE);
  private behind: () => Promise<number> = async () => 0;

  private readonly requests = new client.Counter({
    name: 'pantau_graphql_requests_total',
    help: 'GraphQL requests over HTTP, by operation (its root field) and outcome',
    labelNames: ['type', 'operation', 'outcome'],
    registers: [this.registry],
  });
  private readonly latency = new client.Histogram({
    name: 'pantau_graphql_request_duration_seconds',
    help: 'Time to answer a GraphQL request over HTTP, by operation',
    labelNames: ['type', 'operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly http = new client.Counter({
    name: 'pantau_http_requests_total',
    help: 'HTTP requests, by route and status class',
    labelNames: ['route', 'status'],
    registers: [this.registry],
  });
  private readonly errors = new client.Counter({
    name: 'pantau_graphql_errors_total',
    help: 'GraphQL errors answered, by extensions.code (HTTP and WebSocket)',
    labelNames: ['code'],
    registers: [this.registry],
  });
  private readonly sockets = new client.Gauge({
    name: 'pantau_websocket_sockets',
    help: 'Open authenticated WebSockets',
    registers: [this.registry],
  });
  private readonly closes = new client.Counter({
    name: 'pantau_websocket_closes_total',
    help: 'Authenticated WebSockets closed, by close code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  private readonly subscriptions = new client.Gauge({
    name: 'pantau_subscriptions',
    help: 'Running subscriptions, by kind (their root field: citySummary, cityEvents…)',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  /** Pushes counted since the last scrape, by kind: a fan-out counts thousands, added to the counter once at scrape. */
  private readonly pendingPushes = new Map<string, number>();
  private readonly pushes: client.Counter = new client.Counter({
    name: 'pantau_subscription_messages_total',
    help: 'Results pushed to subscribers, by kind',
    labelNames: ['kind'],
    registers: [this.registry],
    collect: () => {
      for (const [kind, count] of this.pendingPushes) this.pushes.inc({ kind }, count);
      this.pendingPushes.clear();
    },
  });
  private readonly published = new client.Counter({
    name: 'pantau_events_published_total',
    help: 'City events published to pub/sub after commit, by result (failed: subscribers catch up from the outbox)',
    labelNames: ['result'],
    registers: [this.registry],
  });
  private readonly delivered = new client.Counter({
    name: 'pantau_events_delivered_total',
    help: "City events delivered in order by this instance's city feeds to its live subscriptions",
    registers: [this.registry],
  });
  private readonly lag = new client.Histogram({
    name: 'pantau_feed_delivery_lag_seconds',
    help: 'From an event being recorded in the outbox to its delivery by a city feed',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly overviews = new client.Counter({
    name: 'pantau_overview_computations_total',
    help: 'City summaries (overviews) computed, by basis',
    labelNames: ['basis'],
    registers: [this.registry],
  });

  private readonly answers = new client.Counter({
    name: 'pantau_answer_cache_requests_total',
    help: 'City dashboard queries over HTTP that the answer cache could keep, by result (hit: answered from it; miss: executed and kept)',
    labelNames: ['result'],
    registers: [this.registry],
  });

  constructor() {
    const behind = () => this.behind();
    new client.Gauge({
      name: 'pantau_feed_behind_events',
      help: 'Events the furthest-behind city feed of this instance has yet to deliver (outbox head minus last delivered seq), read at scrape',
      registers: [this.registry],
      async collect() {
        // A database that does not answer must not hang or fail the scrape: the gauge keeps its last value.
        const value = await Promise.race([behind().catch(() => null), new Promise<null>((r) => setTimeout(() => r(null), 2_000).unref())]);
        if (value !== null) this.set(value);
      },
    });
  }

  /** Where `pantau_feed_behind_events` is read from (the event bus). */
  feedBehindFrom(read: () => Promise<number>): void {
    this.behind = read;
  }

  /** The operation label of a root field: its name, or `other`. */
  operation(rootField: string | null | undefined): string {
    return this.operations.of(rootField);
  }

  /** A GraphQL request over HTTP was answered. */
  graphqlRequest(type: OperationType, operation: string, outcome: Outcome, seconds: number): void {
    this.requests.inc({ type, operation, outcome });
    this.latency.observe({ type, operation }, seconds);
  }

  /** Any HTTP request was answered (`route`: one of a few names). */
  httpRequest(route: string, status: number): void {
    this.http.inc({ route, status: `${Math.floor(status / 100)}xx` });
  }

  /** An error was answered with this `extensions.code`. */
  error(code: string): void {
    this.errors.inc({ code: this.codes.of(code) });
  }

  socketOpened(): void {
    this.sockets.inc();
  }

  socketClosed(code: number | undefined): void {
    this.sockets.dec();
    this.closes.inc({ code: code !== undefined && CLOSE_CODES.has(code) ? String(code) : 'other' });
  }

  /** A subscription started; returns its kind label (for `subscriptionPushed` and `subscriptionEnded`). */
  subscriptionStarted(rootField: string | null): string {
    const kind = this.kinds.of(rootField);
    this.subscriptions.inc({ kind });
    return kind;
  }

  subscriptionPushed(kind: string): void {
    this.pendingPushes.set(kind, (this.pendingPushes.get(kind) ?? 0) + 1);
  }

  subscriptionEnded(kind: string): void {
    this.subscriptions.dec({ kind });
  }

  eventPublished(ok: boolean): void {
    this.published.inc({ result: ok ? 'ok' : 'failed' });
  }

  /** A city feed delivered an event recorded at `at` (ISO). */
  eventDelivered(at: string): void {
    this.delivered.inc();
    const seconds = (Date.now() - Date.parse(at)) / 1_000;
    if (Number.isFinite(seconds)) this.lag.observe(Math.max(0, seconds));
  }

  /** A query the answer cache keeps was answered from it (hit) or executed (miss). */
  answerCache(result: 'hit' | 'miss'): void {
    this.answers.inc({ result });
  }

  overviewComputed(basis: string): void {
    this.overviews.inc({ basis: basis === 'VERIFIED' ? 'VERIFIED' : 'ALL' });
  }

  /** The Prometheus text exposition: the process's metrics, then the instance's. */
  async render(): Promise<string> {
    const [process, instance] = await Promise.all([processMetrics().metrics(), this.registry.metrics()]);
    return `${process}\n${instance}`;
  }

  /** The Content-Type of `render()`. */
  get contentType(): string {
    return this.registry.contentType;
  }
}

/**
 * A push-based async iterator for one subscriber, with a bounded buffer: a subscriber that falls
 * more than `capacity` items behind is ended with an error (it refetches and resubscribes) instead
 * of letting the server's memory grow.
 */
export class Channel<T> implements AsyncIterableIterator<T>, Divertible<T> {
  private readonly buffer: T[] = [];
  /** Where values go once diverted (see `divert`). */
  private sink: ((value: T) => void) | null = null;
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private failing: ((error: Error) => void) | null = null;
  private done = false;
  private error: Error | null = null;
  private readonly ends: (() => void)[] = [];

  constructor(
    private readonly onClose: () => void,
    /** The most values it holds for a subscriber that does not take them. */
    readonly capacity = 1_000,
  ) {}

  /** Queues a value for the subscriber. */
  push(value: T): void {
    if (this.done) return;
    if (this.sink) {
      this.sink(value);
      return;
    }
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      this.failing = null;
      resolve({ value, done: false });
      return;
    }
    if (this.buffer.length >= this.capacity) {
      this.fail(new Error('subscriber too slow: refetch and subscribe again'));
      return;
    }
    this.buffer.push(value);
  }

  /**
   * From now on every value goes to `sink`, synchronously and in push order (the buffered ones
   * first), instead of to `next()`, which then only reports the end (done, or the error of `fail`).
   * The sink may `fail` the channel (a subscriber too slow to take them).
   */
  divert(sink: (value: T) => void): void {
    if (this.done || this.sink) return;
    this.sink = sink;
    for (const value of this.buffer.splice(0)) {
      if (this.done) return;
      sink(value);
    }
  }

  /** Runs `callback` too when the channel ends. */
  onEnd(callback: () => void): void {
    if (this.done) callback();
    else this.ends.push(callback);
  }

  /** Ends the subscription with an error. */
  fail(error: Error): void {
    if (this.done) return;
    this.error = error;
    if (this.failing) {
      const reject = this.failing;
      this.waiting = null;
      this.failing = null;
      reject(error);
    }
    this.finish();
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.buffer.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.error) {
      const error = this.error;
      this.error = null;
      return Promise.reject(error);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failing = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.sink = null;
    this.buffer.length = 0;
    if (this.waiting) this.waiting({ value: undefined, done: true });
    this.waiting = null;
    this.failing = null;
    this.onClose();
    for (const callback of this.ends.splice(0)) callback();
  }
}

/** A stream whose values can be taken by a callback instead of by `next()` (see `Channel.divert`). */
export interface Divertible<T> {
  divert(sink: (value: T) => void): void;
  /** The most values a subscriber may fall behind by before it is failed. */
  readonly capacity: number;
  /** Ends it with an error (its `next()` rejects). */
  fail(error: Error): void;
  /** Runs `callback` when it ends (at once if it has). */
  onEnd(callback: () => void): void;
}

/** Whether `value` is a `Divertible`. */
export function isDivertible<T>(value: unknown): value is Divertible<T> & AsyncIterableIterator<T> {
  const candidate = value as { divert?: unknown; divertible?: unknown } | null;
  return typeof candidate?.divert === 'function' && candidate.divertible !== false;
}

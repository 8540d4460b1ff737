/**
 * A push-based async iterator for one subscriber, with a bounded buffer: a subscriber that falls
 * more than `capacity` items behind is ended with an error (it refetches and resubscribes) instead
 * of letting the server's memory grow.
 */
export class Channel<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private failing: ((error: Error) => void) | null = null;
  private done = false;
  private error: Error | null = null;
  private readonly ends: (() => void)[] = [];

  constructor(
    private readonly onClose: () => void,
    private readonly capacity = 1_000,
  ) {}

  /** Queues a value for the subscriber. */
  push(value: T): void {
    if (this.done) return;
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
    this.buffer.length = 0;
    if (this.waiting) this.waiting({ value: undefined, done: true });
    this.waiting = null;
    this.failing = null;
    this.onClose();
    for (const callback of this.ends.splice(0)) callback();
  }
}

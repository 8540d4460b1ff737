import { EventEmitter } from 'node:events';
import { createClient, type RedisClientType } from 'redis';

/** Publish/subscribe between the instances of one deployment (or within one process). */
export interface PubSub {
  /** Sends a message; rejects when the transport is down (the caller decides what that means). */
  publish(channel: string, message: string): Promise<void>;
  /** Listens on a channel until the returned function is called. */
  subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>>;
  /** Whether messages currently flow. */
  readonly healthy: boolean;
  /** Called with the new health whenever it changes (e.g. Redis went away or came back). */
  onHealth(listener: (healthy: boolean) => void): () => void;
  close(): Promise<void>;
}

/** In-process pub/sub for the embedded default: one instance, nothing to lose. */
export class MemoryPubSub implements PubSub {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  readonly healthy = true;

  async publish(channel: string, message: string): Promise<void> {
    // Deliver on a later tick, as a network would: publishers never run subscriber code inline.
    queueMicrotask(() => this.emitter.emit(channel, message));
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>> {
    this.emitter.on(channel, listener);
    return async () => {
      this.emitter.off(channel, listener);
    };
  }

  onHealth(): () => void {
    return () => {};
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/** Reconnect delay after `retries` failures: grows by half a second, capped at three. */
export function reconnectDelayMs(retries: number): number {
  return Math.min((retries + 1) * 500, 3_000);
}

/**
 * Redis pub/sub with separate publishing and subscribing connections (a subscribed connection can
 * do nothing else). Commands fail at once while Redis is down (no offline queue: a stale publish
 * replayed minutes later would be worse than none); node-redis re-subscribes after reconnecting.
 */
export class RedisPubSub implements PubSub {
  private readonly pub: RedisClientType;
  private readonly sub: RedisClientType;
  private readonly health = new EventEmitter();
  private state = false;

  /** `prefix` (REDIS_KEY_PREFIX) goes in front of every channel name, as it does of every key. */
  constructor(
    url: string,
    private readonly log: (message: string) => void = () => {},
    private readonly prefix = 'pantau:',
  ) {
    const options = { url, disableOfflineQueue: true, socket: { reconnectStrategy: reconnectDelayMs, connectTimeout: 3_000 } };
    this.pub = createClient(options);
    this.sub = createClient(options);
    for (const [name, client] of [
      ['publisher', this.pub],
      ['subscriber', this.sub],
    ] as const) {
      client.on('error', (error: Error) => {
        this.setHealth(false);
        this.log(`Redis ${name}: ${error.message}`);
      });
      client.on('ready', () => this.setHealth(this.pub.isReady && this.sub.isReady));
      client.on('end', () => this.setHealth(false));
      client.on('reconnecting', () => this.setHealth(false));
    }
  }

  /** Connects both clients; resolves even when Redis is down (they keep retrying). */
  async connect(timeoutMs = 3_000): Promise<void> {
    const attempt = Promise.allSettled([this.pub.connect(), this.sub.connect()]);
    await Promise.race([attempt, new Promise((r) => setTimeout(r, timeoutMs))]);
    this.setHealth(this.pub.isReady && this.sub.isReady);
  }

  get healthy(): boolean {
    return this.state;
  }

  private setHealth(value: boolean): void {
    if (value === this.state) return;
    this.state = value;
    this.health.emit('change', value);
  }

  async publish(topic: string, message: string): Promise<void> {
    await this.pub.publish(this.prefix + topic, message);
  }

  async subscribe(topic: string, listener: (message: string) => void): Promise<() => Promise<void>> {
    const channel = this.prefix + topic;
    await this.sub.subscribe(channel, listener).catch((error: Error) => {
      // While Redis is down the subscription is re-made on reconnect by node-redis only if it was
      // registered; remember it and retry when healthy.
      this.log(`Redis subscribe ${channel}: ${error.message}`);
      const retry = (healthy: boolean) => {
        if (!healthy) return;
        this.health.off('change', retry);
        this.sub.subscribe(channel, listener).catch(() => {});
      };
      this.health.on('change', retry);
    });
    return async () => {
      await this.sub.unsubscribe(channel, listener).catch(() => {});
    };
  }

  onHealth(listener: (healthy: boolean) => void): () => void {
    this.health.on('change', listener);
    return () => this.health.off('change', listener);
  }

  async close(): Promise<void> {
    // A client that is reconnecting would wait for Redis to say goodbye: drop it instead.
    await Promise.allSettled(
      [this.pub, this.sub].map(async (client) => {
        if (client.isReady) await Promise.race([client.close(), new Promise((r) => setTimeout(r, 1_000))]);
        if (client.isOpen) client.destroy();
      }),
    );
    this.setHealth(false);
  }
}

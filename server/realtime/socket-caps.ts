// How many sockets one subject (a user or a screen token) may hold across every instance, and how
// many not yet authenticated sockets one client address may hold on an instance (issue 20 §1).
//
// Across instances, with Redis: one hash per subject, `<prefix>ws:<subject>`, a field per instance
// holding `<its sockets of the subject>:<expiry, ms>`. A new socket is admitted by a script that
// adds up the other instances' live fields and this instance's own count, and writes that count if
// it fits: atomic, so two instances cannot both take the last place. Each instance rewrites its
// fields every `REFRESH_TICKS` seconds (its ticker), with a new expiry of `FIELD_TTL_MS`, so the
// sockets of an instance that died stop counting within that. A subject's operations on one
// instance run one after the other, so every write carries the count as it is. If Redis is
// unreachable each instance counts alone (the cap then holds per instance), says so once, and
// rewrites all its fields once Redis answers again.
import { randomUUID } from 'node:crypto';
import { CounterConnection } from '../auth/rate-limit';

/** How long an instance's count of a subject lives in Redis unless it is written again. */
export const FIELD_TTL_MS = 30_000;
/** Every how many ticks (seconds) an instance rewrites its counts. */
export const REFRESH_TICKS = 10;

// KEYS[1]: the subject's hash. ARGV: this instance's field, its count with the new socket, the cap, the TTL.
// Returns 1 (admitted, the count written) or 0 (refused, nothing written). Dead fields are removed.
const ADMIT_SCRIPT = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local mine, max, ttl = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local total = mine
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if fields[i] ~= ARGV[1] then
    local count, expiry = string.match(fields[i + 1], '^(%d+):(%d+)$')
    if count and tonumber(expiry) > now then total = total + tonumber(count) else redis.call('HDEL', KEYS[1], fields[i]) end
  end
end
if total > max then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], string.format('%d:%d', mine, now + ttl))
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1`;

// KEYS: subjects' hashes. ARGV[1]: this instance's field, ARGV[2]: the TTL, then one count per key (0: removed).
const WRITE_SCRIPT = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ttl = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  local count = tonumber(ARGV[i + 2])
  if count > 0 then
    redis.call('HSET', key, ARGV[1], string.format('%d:%d', count, now + ttl))
    if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
  else
    redis.call('HDEL', key, ARGV[1])
  end
end
return 0`;

/** Options of the caps (units in the names). */
export interface SocketCapOptions {
  /** Open sockets per user or screen token, over every instance sharing `redisUrl` (`WS_MAX_SOCKETS_PER_SUBJECT`). */
  maxPerSubject: number;
  /** Sockets not yet authenticated per client address, on this instance (`WS_MAX_UNAUTHENTICATED_PER_ADDRESS`). */
  maxUnauthenticatedPerAddress: number;
  /** Counts shared through Redis (absent: this instance counts alone). */
  redis?: { url: string; keyPrefix: string; onError?: (error: Error) => void };
  log?: (message: string) => void;
}

/** The socket caps of one instance. */
export class SocketCaps {
  /** This instance's sockets (and places being taken) per subject. */
  private readonly mine = new Map<string, number>();
  /** The operations on a subject's count in flight on this instance, chained (see the top). */
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly unauthenticated = new Map<string, number>();
  private readonly connection: CounterConnection | null;
  private readonly field = randomUUID();
  private degraded = false;
  private closed = false;
  private ticks = 0;

  constructor(private readonly options: SocketCapOptions) {
    this.connection = options.redis ? new CounterConnection(options.redis.url, { onError: options.redis.onError }) : null;
  }

  /** Where the subject counts are kept right now (`instance` while Redis is unreachable, and without it). */
  get sharing(): 'redis' | 'instance' {
    return this.connection && !this.degraded ? 'redis' : 'instance';
  }

  /** Counts a socket of `address` that has not authenticated yet; false (nothing counted) when the address has its most. */
  admitUnauthenticated(address: string): boolean {
    const count = this.unauthenticated.get(address) ?? 0;
    if (count >= this.options.maxUnauthenticatedPerAddress) return false;
    this.unauthenticated.set(address, count + 1);
    return true;
  }

  /** That socket authenticated or closed. */
  releaseUnauthenticated(address: string): void {
    const count = (this.unauthenticated.get(address) ?? 0) - 1;
    if (count > 0) this.unauthenticated.set(address, count);
    else this.unauthenticated.delete(address);
  }

  /** Takes a place for one more socket of `subject`: false (nothing taken) when it already has its most. */
  reserve(subject: string): Promise<boolean> {
    return this.chain(subject, async () => {
      const count = (this.mine.get(subject) ?? 0) + 1;
      let admitted = count <= this.options.maxPerSubject;
      if (this.connection && admitted) {
        const reply = await this.shared(() =>
          this.connection!.client.eval(ADMIT_SCRIPT, {
            keys: [this.key(subject)],
            arguments: [this.field, String(count), String(this.options.maxPerSubject), String(FIELD_TTL_MS)],
          }),
        );
        if (reply !== undefined) admitted = Number(reply) === 1;
      }
      if (admitted) this.mine.set(subject, count);
      return admitted;
    });
  }

  /** Gives back a place taken by `reserve` (its socket closed). */
  release(subject: string): void {
    void this.chain(subject, async () => {
      const count = (this.mine.get(subject) ?? 0) - 1;
      if (count > 0) this.mine.set(subject, count);
      else this.mine.delete(subject);
      if (this.connection) await this.write([[subject, Math.max(0, count)]]);
    });
  }

  /** Called every second (the WebSocket endpoint's ticker): every `REFRESH_TICKS`, this instance's counts are written anew. */
  tick(): void {
    if (!this.connection || ++this.ticks % REFRESH_TICKS !== 0) return;
    void this.refresh();
  }

  /** Writes every count of this instance (but those an operation is writing right now) with a new expiry. */
  async refresh(): Promise<void> {
    const counts = [...this.mine].filter(([subject]) => !this.chains.has(subject));
    for (let i = 0; i < counts.length; i += 500) await this.write(counts.slice(i, i + 500));
  }

  /** Removes this instance's counts from Redis (shutdown: its sockets are closed) and closes the connection. */
  async close(): Promise<void> {
    await Promise.all(this.chains.values());
    this.closed = true;
    const counts = [...this.mine.keys()].map((subject): [string, number] => [subject, 0]);
    this.mine.clear();
    for (let i = 0; i < counts.length; i += 500) await this.write(counts.slice(i, i + 500));
    await this.connection?.close();
  }

  private key(subject: string): string {
    return `${this.options.redis!.keyPrefix}ws:${subject}`;
  }

  private async write(counts: readonly [string, number][]): Promise<void> {
    if (counts.length === 0) return;
    await this.shared(() =>
      this.connection!.client.eval(WRITE_SCRIPT, {
        keys: counts.map(([subject]) => this.key(subject)),
        arguments: [this.field, String(FIELD_TTL_MS), ...counts.map(([, count]) => String(count))],
      }),
    );
  }

  /** Runs a Redis command; undefined when Redis could not answer (this instance then counts alone, and says so once). */
  private async shared<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await this.connection!.call(work);
      if (this.degraded) {
        this.degraded = false;
        this.options.log?.('Redis answers again: socket caps per user and screen token hold across instances again.');
        // Counts written meanwhile were lost (and Redis may have restarted empty): all of them again.
        void this.refresh();
      }
      return result;
    } catch (error) {
      if (!this.degraded && !this.closed) {
        this.degraded = true;
        this.options.log?.(
          `Socket caps per user and screen token fall back to this instance's own count (they hold per instance): ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      return undefined;
    }
  }

  /** Runs `work` after every earlier operation on `subject`'s count on this instance. */
  private chain<T>(subject: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(subject) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => {});
    this.chains.set(subject, settled);
    void settled.then(() => {
      if (this.chains.get(subject) === settled) this.chains.delete(subject);
    });
    return next;
  }
}

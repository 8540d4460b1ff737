import net from 'node:net';

/** One client connection and its connection to the target. */
interface Link {
  client: net.Socket;
  upstream: net.Socket;
}

/**
 * A real TCP proxy on 127.0.0.1 in front of a target port (a Redis, a database), whose link a test
 * can cut as a network partition does: `cut()` lets nothing pass either way — the connections stay
 * open (no FIN, no RST, so neither end sees an error), new ones are accepted and get nowhere —
 * and `heal()` lets everything held back flow again, as TCP would deliver it after the partition.
 */
export class TcpProxy {
  private readonly server = net.createServer((client) => this.accept(client));
  private readonly links = new Set<Link>();
  private isCut = false;

  constructor(private readonly targetPort: number) {}

  /** Listens on a free port. */
  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** The proxy's address as a Redis URL. */
  get redisUrl(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Whether the link is cut. */
  get cutOff(): boolean {
    return this.isCut;
  }

  /** Cuts the link: nothing is read from either side any more (it waits in the sockets' buffers). */
  cut(): void {
    this.isCut = true;
    for (const { client, upstream } of this.links) {
      client.pause();
      upstream.pause();
    }
  }

  /** Heals the link: everything held back, and everything after, flows again. */
  heal(): void {
    this.isCut = false;
    for (const { client, upstream } of this.links) {
      client.resume();
      upstream.resume();
    }
  }

  /** Ends every connection open now (as a restarting router does: both ends see them go); new ones are still accepted. */
  drop(): void {
    for (const { client, upstream } of this.links) {
      client.destroy();
      upstream.destroy();
    }
    this.links.clear();
  }

  /** Closes every connection and stops listening. */
  async close(): Promise<void> {
    for (const { client, upstream } of this.links) {
      client.destroy();
      upstream.destroy();
    }
    this.links.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    const link = { client, upstream };
    this.links.add(link);
    // Plain 'data' listeners, not pipe(): a paused socket stays paused until `heal`.
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      this.links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
    if (this.isCut) {
      client.pause();
      upstream.pause();
    }
  }
}

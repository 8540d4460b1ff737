/** At most `size` holders at once; the others wait in order. */
export class Semaphore {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {}

  /** Runs `work` once a place is free, and frees it after. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.held >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.held++;
    try {
      return await work();
    } finally {
      // The place passes straight to the next in line (it stays held), or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.held--;
    }
  }
}

/** One holder at a time per key (e.g. per city); keys nobody holds cost nothing. */
export class KeyedLock {
  private readonly locks = new Map<string, { semaphore: Semaphore; users: number }>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    let lock = this.locks.get(key);
    if (!lock) {
      lock = { semaphore: new Semaphore(1), users: 0 };
      this.locks.set(key, lock);
    }
    lock.users++;
    try {
      return await lock.semaphore.run(work);
    } finally {
      if (--lock.users === 0) this.locks.delete(key);
    }
  }
}

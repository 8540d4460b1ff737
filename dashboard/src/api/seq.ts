// Gap detection on the per-city event `seq` (see CityEvent in the schema): a client applies events
// after its snapshot's seq, ignores the ones it already has, and refetches on a gap.

/** What to do with an incoming event. */
export type SeqVerdict = 'apply' | 'ignore' | 'gap';

/**
 * Compares an event's `seq` with the last one applied: the next one applies, an old one is ignored,
 * anything further ahead is a gap (events were missed: refetch the snapshot).
 */
export function judgeSeq(last: number | null, incoming: number): SeqVerdict {
  if (last === null) return 'gap';
  if (incoming <= last) return 'ignore';
  return incoming === last + 1 ? 'apply' : 'gap';
}

/**
 * The reconnect delay before attempt `retries` (0-based): exponential from `baseMs`, capped at
 * `capMs`, with "equal jitter" (half fixed, half random) so a room of TVs does not reconnect in step.
 */
export function backoffMs(retries: number, { baseMs = 500, capMs = 10_000, random = Math.random } = {}): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(retries, 20));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

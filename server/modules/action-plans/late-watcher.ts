import type { MikroORM } from '@mikro-orm/core';
import { ActionPlanState, countsInRollups, planState } from './state';
import { City } from '../cities/city.entity';
import { loadPlanRecords } from '../overview/city-data';
import { todayIn } from '../../util/dates';
import type { EventPublisher } from '../../events/bus';
import { sqlRows } from '../../db/sql';
import { appendEvents } from '../../events/outbox';

/**
 * Turning late is not a write — the calendar does it — so a watcher on every instance looks for
 * plans that became late and announces each once (ACTION_PLAN_LATE), with a sequence number like any
 * change. A mark per late plan, inserted in the same transaction as the event, makes sure two
 * instances never announce the same plan twice; the mark goes when the plan is no longer late.
 */
export class LateWatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly publisher: EventPublisher,
    private readonly clock: () => Date,
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** Checks now and then every `intervalMs`. */
  start(intervalMs: number): void {
    const tick = () => {
      void this.check()
        .catch((error: Error) => this.log(`late-plan watcher: ${error.message}`))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
  }

  /** One pass over every city; returns how many plans were announced as late. */
  check(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    const now = this.clock();
    const cities = await this.orm.em.fork().find(City, { archivedAt: null });
    let announced = 0;
    for (const city of cities) {
      const today = todayIn(city.timeZone, now);
      const em = this.orm.em.fork();
      const late = new Set(
        (await loadPlanRecords(em, city.id))
          .filter((p) => countsInRollups(p) && planState(p, today) === ActionPlanState.LATE)
          .map((p) => p.id),
      );
      const marked = (await em.getConnection().execute('select action_plan_id from plan_late_marks where city_id = ?', [city.id])) as {
        action_plan_id: string;
      }[];
      const markedIds = new Set(marked.map((m) => String(m.action_plan_id)));
      const recovered = [...markedIds].filter((id) => !late.has(id));
      if (recovered.length > 0) {
        await em
          .getConnection()
          .execute(`delete from plan_late_marks where action_plan_id in (${recovered.map(() => '?').join(', ')})`, recovered);
      }
      const fresh = [...late].filter((id) => !markedIds.has(id));
      if (fresh.length === 0) continue;
      const messages = await em.transactional(async (tx) => {
        const won: string[] = [];
        for (const id of fresh) {
          // Another instance may mark the same plan at the same moment: only the insert that lands announces.
          const rows = await sqlRows(
            tx,
            'insert into plan_late_marks (action_plan_id, city_id, marked_on) values (?, ?, ?) on conflict (action_plan_id) do nothing returning action_plan_id',
            [id, city.id, today],
          );
          if (rows.length > 0) won.push(id);
        }
        return appendEvents(
          tx,
          city.id,
          won.map((id) => ({ kind: 'ACTION_PLAN_LATE', entity: 'ActionPlan', entityId: id, actionPlanId: id })),
          now,
        );
      });
      this.publisher.publish(messages);
      announced += messages.length;
    }
    return announced;
  }
}

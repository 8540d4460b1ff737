import type { GraphQLSchema } from 'graphql';

/**
 * How a live root field is shared, declared on the field itself with type-graphql's `@Extensions`
 * (`@Extensions(liveField({ … }))`) and read from the schema by realtime/shared.ts, so that what is shared
 * never drifts from the fields that exist:
 * - `share: 'city'`: the result depends only on the city (its argument `cityId`), the document,
 *   the variables and the language: identical subscriptions share one run and one execution per
 *   change (citySummary, readiness, cityScreen);
 * - `share: 'event'`: every source event is one object for all subscribers and the result depends
 *   only on it: each subscriber keeps its own source (its replay from `replayArg`), the execution of
 *   a live event is shared (cityEvents);
 * - `perViewer`: the run is shared by subscribers of the same role, OPD and kind (screen or person)
 *   only: the selection may reach fields whose answer could depend on who reads;
 * - `patch`: after the first (full) result, each subscriber is sent what changed (state-patch.ts)
 *   when the selection has the field's `seq`, `baseSeq` and `patch` (patched.ts).
 */
export interface LiveField {
  share: 'city' | 'event';
  /** `share: 'event'`: the argument that is each subscriber's replay point (left out of the key). */
  replayArg?: string;
  perViewer?: boolean;
  patch?: boolean;
}

/** The extension key under which a field's `LiveField` is kept. */
export const LIVE_EXTENSION = 'live';

/** The `@Extensions` argument of a live field. */
export function liveField(field: LiveField): Record<string, LiveField> {
  return { [LIVE_EXTENSION]: field };
}

/** How the subscription field `name` is shared (null: not shared). */
export function liveFieldOf(schema: GraphQLSchema, name: string): LiveField | null {
  const field = schema.getSubscriptionType()?.getFields()[name];
  const declared = (field?.extensions as Record<string, unknown> | undefined)?.[LIVE_EXTENSION];
  return typeof declared === 'object' && declared !== null ? (declared as LiveField) : null;
}

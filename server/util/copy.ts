/**
 * A copy of an object with some fields replaced, keeping its prototype: a context's accessors stay
 * working on the copy (see `LazyContext` in context.ts). What the original has already made (its
 * entity manager, loaders, memo) the copy shares; what it has not, the copy makes for itself.
 */
export function copyWith<T extends object>(object: T, changes: Partial<T>): T {
  return Object.assign(Object.create(Object.getPrototypeOf(object) as object | null) as T, object, changes);
}

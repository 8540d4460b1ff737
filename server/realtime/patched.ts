import { Kind, getOperationAST, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { diffState, type Json } from './state-patch';

/**
 * Turns two consecutive full results of a patched live subscription (`LiveField.patch`) into the
 * frame sent to subscribers that have the first: `seq` and every other scalar as in the new result,
 * `baseSeq` the seq it applies to, `patch` what changed in the state (every other selected field,
 * by response key: state-patch.ts), and those state fields null. A subscriber that cannot apply it
 * (its state is not at `baseSeq`) refetches the full state.
 */
export type Patcher = (previous: ExecutionResult, next: ExecutionResult) => ExecutionResult;

/**
 * The patcher of a subscription, or null when its selection cannot take patches: it must select the
 * root field's `seq`, `baseSeq` and `patch` directly (aliases allowed; fragments are not looked into).
 */
export function patcherFor(args: ExecutionArgs): Patcher | null {
  const operation = getOperationAST(args.document, args.operationName ?? undefined);
  const root = operation?.selectionSet.selections[0];
  if (root?.kind !== Kind.FIELD || !root.selectionSet) return null;
  const rootKey = root.alias?.value ?? root.name.value;
  const keys: Record<string, string> = {};
  const state: string[] = [];
  for (const selection of root.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) return null;
    const key = selection.alias?.value ?? selection.name.value;
    const name = selection.name.value;
    if (name === 'seq' || name === 'baseSeq' || name === 'patch') keys[name] = key;
    else if (name !== '__typename') state.push(key);
  }
  const seqKey = keys.seq;
  const baseKey = keys.baseSeq;
  const patchKey = keys.patch;
  if (!seqKey || !baseKey || !patchKey) return null;
  return (previous, next) => {
    const before = previous.data?.[rootKey] as Record<string, Json> | null | undefined;
    const after = next.data?.[rootKey] as Record<string, Json> | null | undefined;
    if (previous.errors || next.errors || !before || !after) return next;
    const frame: Record<string, Json> = { ...after, [baseKey]: before[seqKey] ?? null };
    const was: Record<string, Json> = {};
    const now: Record<string, Json> = {};
    for (const key of state) {
      was[key] = before[key] ?? null;
      now[key] = after[key] ?? null;
      frame[key] = null;
    }
    frame[patchKey] = diffState(was, now) ?? {};
    return { data: { ...next.data, [rootKey]: frame } };
  };
}

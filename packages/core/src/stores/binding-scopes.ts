/**
 * A synchronous "could this store hold a binding of that channel and account?" for the stores
 * that can answer it exactly (the memory store). The gateway asks the bindings for every admitted
 * message; when the store holds no binding in the message's scope, the lookup is answered without
 * building the binding id or awaiting the store.
 *
 * The answer lives with the store itself (updated by its own `put` and `delete`), so it stays
 * exact for a store shared by several `createConversationBindings` instances. Stores without it
 * (file stores, hosts' own) are simply asked as before.
 * @internal
 */

/** Answers whether the store holds any binding whose id starts with `scope`. */
export type BindingScopeQuery = (scope: string) => boolean;

const registry = new WeakMap<object, BindingScopeQuery>();

/**
 * The scope of a binding id: everything up to and including its third `:` (`binding:<channel>:<account>:`
 * for ids made by `bindingIdOf`, whose segments never contain a raw `:`). An id with fewer
 * colons is its own scope (no id made by `bindingIdOf` can have it). @internal
 */
export function bindingIdScope(bindingId: string): string {
  let at = -1;
  for (let colons = 0; colons < 3; colons++) {
    at = bindingId.indexOf(':', at + 1);
    if (at < 0) return bindingId;
  }
  return bindingId.slice(0, at + 1);
}

/** Declare that `store` answers scope queries exactly. @internal */
export function registerBindingScopes(store: object, query: BindingScopeQuery): void {
  registry.set(store, query);
}

/** The scope query of `store`, or `undefined` when it cannot answer one. @internal */
export function bindingScopesOf(store: object): BindingScopeQuery | undefined {
  return registry.get(store);
}

/** Per-scope counts of a store's ids, kept by the store as it adds and removes ids. @internal */
export function createScopeCounts(): {
  readonly add: (bindingId: string) => void;
  readonly remove: (bindingId: string) => void;
  readonly has: BindingScopeQuery;
} {
  const counts = new Map<string, number>();
  return {
    add(bindingId) {
      const scope = bindingIdScope(bindingId);
      counts.set(scope, (counts.get(scope) ?? 0) + 1);
    },
    remove(bindingId) {
      const scope = bindingIdScope(bindingId);
      const count = counts.get(scope) ?? 0;
      if (count <= 1) counts.delete(scope);
      else counts.set(scope, count - 1);
    },
    has: (scope) => counts.has(scope),
  };
}

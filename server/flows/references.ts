/** Everything a `{ref}` can see during a turn; see the convention at the top of flow-schema.ts. */
export type ReferenceScope = {
  slots: Record<string, unknown>;
  entities: Record<string, unknown>;
  intent: string | null;
  input: string;
  context: Record<string, unknown>;
};

export function getPath(root: unknown, path: string): unknown {
  if (path === "") return root;
  let current = root;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function resolveRef(ref: string, scope: ReferenceScope): unknown {
  const dot = ref.indexOf(".");
  const head = dot === -1 ? ref : ref.slice(0, dot);
  const tail = dot === -1 ? "" : ref.slice(dot + 1);
  if (head === "slots") return getPath(scope.slots, tail);
  if (head === "entities") return getPath(scope.entities, tail);
  if (ref === "intent") return scope.intent;
  if (ref === "input") return scope.input;
  const fromSlots = getPath(scope.slots, ref);
  if (fromSlots !== undefined) return fromSlots;
  const fromEntities = getPath(scope.entities, ref);
  return fromEntities !== undefined ? fromEntities : getPath(scope.context, ref);
}

/** Empty strings, empty arrays, null and undefined all count as "not provided". */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

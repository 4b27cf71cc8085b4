/**
 * What a widget remembers in the visitor's browser, per widget key (two tenants' widgets on one page keep
 * separate visitors): the visitor token, the conversation shown, and whether the visitor asked for a new one.
 * Other tabs of the site see changes through the `storage` event; this tab's own writes notify it directly.
 */
export type Saved = { token?: string; conversation?: string; fresh?: boolean };

export type WidgetStore = {
  read(): Saved;
  update(patch: Partial<Saved>): void;
  /** Called with the new value after any change, in this tab or another one. */
  subscribe(listener: (saved: Saved) => void): () => void;
};

export const storageKeyOf = (widgetKey: string) => `cbp:${widgetKey}`;

export function widgetStore(widgetKey: string, win: Window = window): WidgetStore {
  const name = storageKeyOf(widgetKey);
  const listeners = new Set<(saved: Saved) => void>();
  // Storage can be refused (private modes, sandboxed frames): the widget then remembers for this page only.
  let memory: Saved = {};
  const parse = (raw: string | null): Saved => {
    try {
      const value: unknown = JSON.parse(raw ?? "{}");
      return value && typeof value === "object" ? (value as Saved) : {};
    } catch {
      return {};
    }
  };
  const read = (): Saved => {
    try {
      return parse(win.localStorage.getItem(name));
    } catch {
      return memory;
    }
  };
  const notify = (saved: Saved) => listeners.forEach((listener) => listener(saved));
  win.addEventListener("storage", (event) => {
    if (event.key === name) notify(parse(event.newValue));
  });
  return {
    read,
    update(patch) {
      const next: Saved = { ...read(), ...patch };
      for (const field of Object.keys(next) as (keyof Saved)[]) if (next[field] === undefined) delete next[field];
      memory = next;
      try {
        win.localStorage.setItem(name, JSON.stringify(next));
      } catch {
        // Kept in memory only.
      }
      notify(next);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

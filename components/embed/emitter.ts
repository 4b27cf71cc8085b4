type Listener = (detail: never) => void;

/** Named events with plain listeners; a throwing listener (host page code) never breaks the widget. */
export function emitter<Events extends Record<string, unknown>>() {
  const listeners = new Map<keyof Events, Set<Listener>>();
  return {
    on<E extends keyof Events>(event: E, fn: (detail: Events[E]) => void) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(fn as Listener);
    },
    off<E extends keyof Events>(event: E, fn: (detail: Events[E]) => void) {
      listeners.get(event)?.delete(fn as Listener);
    },
    emit<E extends keyof Events>(event: E, detail: Events[E]) {
      listeners.get(event)?.forEach((fn) => {
        try {
          (fn as (d: Events[E]) => void)(detail);
        } catch (error) {
          console.error("[chatbot-widget] an event listener failed", error);
        }
      });
    },
  };
}

import { unwrap, WidgetApiError } from "./envelope";
import type { Identity, SessionData, SessionState, WidgetConfig } from "./types";
import type { WidgetStore } from "./widget-store";

export type WidgetClient = {
  /** GET config; a site that may not embed this widget gets a WidgetApiError with status 403. */
  config(): Promise<WidgetConfig>;
  /** POST session with the remembered token and the host page's identity; resolves once the state is known. */
  openSession(): Promise<SessionState>;
  state(): SessionState;
  /** A call as the visitor: waits for the session, sends the token, and on 401 opens a new session and retries once. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  json<T>(path: string, init?: RequestInit): Promise<T>;
};

type ClientOptions = { base: string; key: string; store: WidgetStore; identity: () => Identity; onSession: (state: SessionState) => void };

const JSON_HEADERS = { "content-type": "application/json" };

export function widgetClient({ base, key, store, identity, onSession }: ClientOptions): WidgetClient {
  const root = `${base}/api/widget/${encodeURIComponent(key)}/`;
  let state: SessionState = { ready: false, blocked: null, conversationId: null };
  let pending: Promise<SessionState> | null = null;

  const setState = (next: SessionState) => {
    state = next;
    onSession(next);
    return next;
  };

  async function requestSession(): Promise<SessionState> {
    const response = await fetch(`${root}session`, { method: "POST", headers: JSON_HEADERS, body: JSON.stringify({ visitor_token: store.read().token, ...identity() }) });
    try {
      const data = await unwrap<SessionData>(response);
      store.update({ token: data.visitor_token });
      return setState({ ready: true, blocked: null, conversationId: data.conversation_id });
    } catch (error) {
      // A widget that requires a verified identity: the visitor sees why instead of an input (a wrong user_hash is a 401).
      if (error instanceof WidgetApiError && (error.details.reason === "identity_required" || error.status === 401)) {
        return setState({ ready: true, blocked: error.message, conversationId: null });
      }
      throw error;
    }
  }

  function openSession(): Promise<SessionState> {
    const started = requestSession();
    pending = started.catch(() => state);
    return started;
  }

  async function send(path: string, init: RequestInit, retried: boolean): Promise<Response> {
    if (!pending) openSession();
    const current = await pending;
    if (current?.blocked) throw new WidgetApiError(403, "FORBIDDEN", current.blocked, { reason: "identity_required" });
    const token = store.read().token;
    const headers = new Headers(init.headers);
    if (token) headers.set("authorization", `Bearer ${token}`);
    const response = await fetch(root + path, { ...init, headers });
    if (response.status !== 401 || retried) return response;
    // The token expired or was refused: unless another call (or tab) already replaced it, ask for a new one.
    if (store.read().token === token) await openSession().catch(() => state);
    return send(path, init, true);
  }

  return {
    config: async () => unwrap<WidgetConfig>(await fetch(`${root}config`)),
    openSession,
    state: () => state,
    fetch: (path, init = {}) => send(path, init, false),
    json: async (path, init = {}) => unwrap(await send(path, init, false)),
  };
}

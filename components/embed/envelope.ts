/** The API's envelope: { status: "success", data } or { status: "error", error: { code, message, details } }. */
export class WidgetApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export type Envelope<T> = { status: "success"; data: T } | { status: "error"; error: { code: string; message: string; details?: Record<string, unknown> } };

const GENERIC = "Sorry, something went wrong. Please try again.";

/** The data of a success envelope; any other answer (an error envelope, a proxy's HTML page) becomes a WidgetApiError. */
export async function unwrap<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => null)) as Envelope<T> | null;
  return dataOf(body, response.status);
}

export function dataOf<T>(body: Envelope<T> | null, status: number): T {
  if (body?.status === "success") return body.data;
  const error = body?.status === "error" ? body.error : null;
  throw new WidgetApiError(status, error?.code ?? "UNAVAILABLE", error?.message ?? GENERIC, error?.details ?? {});
}

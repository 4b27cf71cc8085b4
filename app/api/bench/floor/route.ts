export const dynamic = "force-dynamic";

/**
 * The bench's framework floor (bench/run.ts): a route handler that does nothing, so the run shows what
 * Next.js alone costs a request on this machine at the same concurrency. A webhook ack or a first message
 * cannot answer faster through Next than this. Inert unless BENCH_MODE=1 (404 otherwise).
 */
export async function POST(): Promise<Response> {
  if (process.env.BENCH_MODE !== "1") return new Response("Not Found", { status: 404 });
  return Response.json({ ok: true });
}

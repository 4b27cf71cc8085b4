/** Runs once when the server starts: a bad environment stops it before the first request. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { env } = await import("./server/env");
    env();
    const { registerDirectRoutes } = await import("./server/http/direct-routes");
    registerDirectRoutes();
    const { startConversationRelay } = await import("./server/realtime/start-relay");
    void startConversationRelay();
    if (process.env.JOBS_DISABLED !== "1") {
      const { startServerJobs } = await import("./server/jobs/start-server-jobs");
      startServerJobs();
    }
  }
}

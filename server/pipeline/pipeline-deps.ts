import type { Db } from "@/db/client";
import type { IntegrationCaller } from "../flows/engine";
import { env } from "../env";
import { createHttpIntegrationCaller } from "./http-integration-caller";
import type { PipelineDeps } from "./process-message";

let integrations: IntegrationCaller | undefined;

/** Production wiring of the pipeline for a database: SSRF-guarded HTTP for integration states. */
export function pipelineDepsFor(db: Db): PipelineDeps {
  integrations ??= createHttpIntegrationCaller({ allowedHosts: env().INTEGRATION_ALLOWED_HOSTS });
  return { db, integrations };
}

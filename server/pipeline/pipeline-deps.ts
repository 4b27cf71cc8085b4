import type { Db } from "@/db/client";
import type { IntegrationCaller } from "../flows/engine";
import { env } from "../env";
import { tenantLlm } from "../models/tenant-llm";
import { createHttpIntegrationCaller } from "./http-integration-caller";
import type { PipelineDeps } from "./process-message";

let integrations: IntegrationCaller | undefined;

/** Production wiring of the pipeline for a database: SSRF-guarded HTTP for integrations and the tenant's models. */
export function pipelineDepsFor(db: Db): PipelineDeps {
  const allowedHosts = env().OUTBOUND_ALLOWED_HOSTS;
  integrations ??= createHttpIntegrationCaller({ allowedHosts });
  return { db, integrations, llmFor: (tenantId) => tenantLlm(db, tenantId, allowedHosts) };
}

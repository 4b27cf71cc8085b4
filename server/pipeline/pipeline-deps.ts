import { getDb } from "../db";
import { env } from "../env";
import { createHttpIntegrationCaller } from "./http-integration-caller";
import type { PipelineDeps } from "./process-message";

const globalForPipeline = globalThis as unknown as { __pipelineDeps?: PipelineDeps };

export function getPipelineDeps(): PipelineDeps {
  if (!globalForPipeline.__pipelineDeps) {
    globalForPipeline.__pipelineDeps = {
      db: getDb(),
      integrations: createHttpIntegrationCaller({ allowPrivate: env().ALLOW_PRIVATE_INTEGRATION_HOSTS }),
    };
  }
  return globalForPipeline.__pipelineDeps;
}

import type { Metadata } from "next";
import { ModelsManager } from "@/components/models/models-manager";
import { serverApi } from "@/lib/server-api";

export const metadata: Metadata = { title: "AI models" };

export default async function ModelsPage() {
  const api = await serverApi();
  const [tenant, models] = await Promise.all([api.tenant.current(), api.models.list()]);
  return (
    <div data-testid="models-page">
      <h1>AI models</h1>
      <p className="muted">
        Optional: flows work without a model. A connected model powers LLM steps and refines intent detection. Test a connection before you save it: only a
        model that answered counts as connected. Keys are encrypted at rest and never shown again.
      </p>
      <ModelsManager models={models} canManage={tenant.role !== "member"} now={new Date()} />
    </div>
  );
}

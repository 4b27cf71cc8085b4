import type { Metadata } from "next";
import { ModelsManager } from "@/components/models/models-manager";
import { PricesSection } from "@/components/models/prices-section";
import { RoutingForm } from "@/components/models/routing-form";
import { SpendSection } from "@/components/models/spend-section";
import { serverApi } from "@/lib/server-api";
import { servedModels } from "@/server/models/routing-policy";

export const metadata: Metadata = { title: "AI models" };

export default async function ModelsPage() {
  const api = await serverApi();
  const [tenant, models, routing, spend, prices] = await Promise.all([api.tenant.current(), api.models.list(), api.models.routing(), api.models.spend(), api.models.prices()]);
  const canManage = tenant.role !== "member";
  return (
    <div data-testid="models-page">
      <h1>AI models</h1>
      <p className="muted">
        Optional: flows work without a model. A connected model powers LLM steps and refines intent detection. Test a connection before you save it: only a
        model that answered counts as connected. Keys are encrypted at rest and never shown again.
      </p>
      <ModelsManager models={models} canManage={canManage} now={new Date()} />
      <RoutingForm policy={routing} connected={servedModels(models)} canManage={canManage} />
      <PricesSection view={prices} canManage={canManage} />
      <SpendSection spend={spend} />
    </div>
  );
}

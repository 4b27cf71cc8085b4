CREATE TABLE "model_budget_months" (
	"tenant_id" uuid NOT NULL,
	"month" date NOT NULL,
	"spent_cents" numeric(14, 6) DEFAULT 0 NOT NULL,
	"reserved_cents" numeric(14, 6) DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_budget_months_tenant_id_month_pk" PRIMARY KEY("tenant_id","month")
);
--> statement-breakpoint
CREATE TABLE "model_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"conversation_id" uuid,
	"message_id" uuid,
	"status" text NOT NULL,
	"provider" text,
	"model" text,
	"fallback_applied" boolean DEFAULT false NOT NULL,
	"attempts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"cost_cents" numeric(14, 6) DEFAULT 0 NOT NULL,
	"latency_ms" integer DEFAULT 0 NOT NULL,
	"ttft_ms" integer,
	"price_table_version" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_policies" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"chain" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"max_cost_cents" numeric(14, 6),
	"monthly_budget_cents" numeric(14, 6),
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_prices" (
	"tenant_id" uuid NOT NULL,
	"model" text NOT NULL,
	"input_cents_per_mtok" numeric(14, 6) NOT NULL,
	"output_cents_per_mtok" numeric(14, 6) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_prices_tenant_id_model_pk" PRIMARY KEY("tenant_id","model")
);
--> statement-breakpoint
CREATE TABLE "model_spend_days" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	"fallbacks" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"cost_cents" numeric(14, 6) DEFAULT 0 NOT NULL,
	CONSTRAINT "model_spend_days_tenant_id_day_provider_model_pk" PRIMARY KEY("tenant_id","day","provider","model")
);
--> statement-breakpoint
CREATE TABLE "flow_test_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"flow_id" uuid NOT NULL,
	"name" text NOT NULL,
	"source_conversation_id" uuid,
	"turns" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flow_test_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"flow_id" uuid NOT NULL,
	"version" integer,
	"draft_revision" integer,
	"passed" integer NOT NULL,
	"failed" integer NOT NULL,
	"results" jsonb NOT NULL,
	"trigger" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "provider_configs" ADD COLUMN "models" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "provider_configs" ADD COLUMN "key_invalid_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "provider_configs" ADD COLUMN "key_invalid_reason" text;--> statement-breakpoint
ALTER TABLE "model_budget_months" ADD CONSTRAINT "model_budget_months_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_calls" ADD CONSTRAINT "model_calls_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_policies" ADD CONSTRAINT "model_policies_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_prices" ADD CONSTRAINT "model_prices_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_spend_days" ADD CONSTRAINT "model_spend_days_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_test_cases" ADD CONSTRAINT "flow_test_cases_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_test_cases" ADD CONSTRAINT "flow_test_cases_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_test_cases" ADD CONSTRAINT "flow_test_cases_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_test_runs" ADD CONSTRAINT "flow_test_runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_test_runs" ADD CONSTRAINT "flow_test_runs_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_test_runs" ADD CONSTRAINT "flow_test_runs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "model_calls_tenant_created_idx" ON "model_calls" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "model_calls_conversation_idx" ON "model_calls" USING btree ("conversation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "flow_test_cases_flow_name_key" ON "flow_test_cases" USING btree ("flow_id","name");--> statement-breakpoint
CREATE INDEX "flow_test_cases_tenant_idx" ON "flow_test_cases" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "flow_test_runs_flow_idx" ON "flow_test_runs" USING btree ("flow_id","created_at");--> statement-breakpoint
UPDATE "provider_configs" SET "models" = ARRAY["model"];

CREATE TABLE "conversation_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"actor_user_id" uuid,
	"actor_label" text NOT NULL,
	"note" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversation_reads" (
	"tenant_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"read_sequence" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_conversation_days" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"channel" text NOT NULL,
	"started" integer NOT NULL,
	"handed_off" integer NOT NULL,
	"human_answered" integer NOT NULL,
	"resolved" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_durations" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"metric" text NOT NULL,
	"value" integer NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_funnel_days" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"flow_version_id" uuid,
	"state" text NOT NULL,
	"reached" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_intent_days" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"intent" text NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_message_days" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"channel" text NOT NULL,
	"inbound" integer NOT NULL,
	"outbound" integer NOT NULL,
	"agent_outbound" integer NOT NULL,
	"bot_turns" integer NOT NULL,
	"not_understood" integer NOT NULL,
	"model_calls" integer NOT NULL,
	"cost_cents" numeric(14, 6) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_user_days" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"end_user_id" text NOT NULL,
	"first_day" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_watermarks" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"refreshed_through" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "time_zone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "available" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "assigned_to" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "status_changed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "handed_off_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "first_human_reply_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "resolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "visited_states" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "not_understood_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "sandbox" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "conversation_events" ADD CONSTRAINT "conversation_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_events" ADD CONSTRAINT "conversation_events_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_events" ADD CONSTRAINT "conversation_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_reads" ADD CONSTRAINT "conversation_reads_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_reads" ADD CONSTRAINT "conversation_reads_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_reads" ADD CONSTRAINT "conversation_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_conversation_days" ADD CONSTRAINT "rollup_conversation_days_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_durations" ADD CONSTRAINT "rollup_durations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_funnel_days" ADD CONSTRAINT "rollup_funnel_days_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_intent_days" ADD CONSTRAINT "rollup_intent_days_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_message_days" ADD CONSTRAINT "rollup_message_days_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_user_days" ADD CONSTRAINT "rollup_user_days_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_watermarks" ADD CONSTRAINT "rollup_watermarks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversation_events_conversation_idx" ON "conversation_events" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "conversation_events_tenant_created_idx" ON "conversation_events" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_reads_conversation_user_key" ON "conversation_reads" USING btree ("conversation_id","user_id");--> statement-breakpoint
CREATE INDEX "rollup_conversation_days_key" ON "rollup_conversation_days" USING btree ("tenant_id","day");--> statement-breakpoint
CREATE INDEX "rollup_durations_key" ON "rollup_durations" USING btree ("tenant_id","metric","day","value") INCLUDE ("count");--> statement-breakpoint
CREATE INDEX "rollup_funnel_days_key" ON "rollup_funnel_days" USING btree ("tenant_id","day");--> statement-breakpoint
CREATE INDEX "rollup_intent_days_key" ON "rollup_intent_days" USING btree ("tenant_id","day");--> statement-breakpoint
CREATE INDEX "rollup_message_days_key" ON "rollup_message_days" USING btree ("tenant_id","day");--> statement-breakpoint
CREATE INDEX "rollup_user_days_key" ON "rollup_user_days" USING btree ("tenant_id","day");--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_assigned_to_users_id_fk" FOREIGN KEY ("assigned_to") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversations_tenant_status_updated_idx" ON "conversations" USING btree ("tenant_id","status","updated_at") WHERE status in ('escalated', 'with_agent');--> statement-breakpoint
CREATE INDEX "conversations_tenant_created_idx" ON "conversations" USING btree ("tenant_id","created_at");--> statement-breakpoint
UPDATE "conversations" SET "status_changed_at" = "updated_at", "handed_off_at" = CASE WHEN "status" = 'escalated' THEN "updated_at" END;

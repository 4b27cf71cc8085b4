CREATE TABLE "end_users" (
	"tenant_id" uuid NOT NULL,
	"end_user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "end_users_tenant_id_end_user_id_pk" PRIMARY KEY("tenant_id","end_user_id")
);
--> statement-breakpoint
ALTER TABLE "end_users" ADD CONSTRAINT "end_users_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Every end user with a conversation has been claimed (server/pipeline/persist-turn.ts claims new ones).
INSERT INTO "end_users" ("tenant_id", "end_user_id", "created_at")
SELECT "tenant_id", "end_user_id", min("created_at") FROM "conversations" GROUP BY "tenant_id", "end_user_id"
ON CONFLICT DO NOTHING;

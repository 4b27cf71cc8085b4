ALTER TABLE "flow_versions" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "flow_versions" ADD COLUMN "restored_from" integer;--> statement-breakpoint
ALTER TABLE "flows" ADD COLUMN "canvas" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "flows" ADD COLUMN "draft_revision" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "flows" ADD COLUMN "updated_by" uuid;--> statement-breakpoint
ALTER TABLE "flows" ADD CONSTRAINT "flows_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
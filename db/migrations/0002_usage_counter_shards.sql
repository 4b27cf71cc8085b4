ALTER TABLE "usage_counters" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_counters" DROP CONSTRAINT "usage_counters_tenant_id_metric_day_pk";--> statement-breakpoint
ALTER TABLE "usage_counters" ADD CONSTRAINT "usage_counters_tenant_id_metric_day_shard_pk" PRIMARY KEY("tenant_id","metric","day","shard");

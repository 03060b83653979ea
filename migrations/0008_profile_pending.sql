ALTER TABLE "profile_dirty" ADD COLUMN "rebuild" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "profile_dirty" ADD COLUMN "since_ms" bigint;--> statement-breakpoint
ALTER TABLE "profile_dirty" ADD COLUMN "pending" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "profile_dirty" ADD COLUMN "recount" boolean DEFAULT false NOT NULL;
ALTER TABLE "profiles" ADD COLUMN "state" jsonb;--> statement-breakpoint
ALTER TABLE "profiles" DROP COLUMN "facts";--> statement-breakpoint
-- Profiles stored before this migration have no state: the refresher rebuilds them from their events.
INSERT INTO "profile_dirty" ("workspace_id", "profile_id") SELECT "workspace_id", "id" FROM "profiles" ON CONFLICT DO NOTHING;

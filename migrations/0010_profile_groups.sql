CREATE TABLE "profile_groups" (
	"batch" bigint PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"seq_from" bigint NOT NULL,
	"seq_to" bigint NOT NULL,
	"profiles" json DEFAULT '[]'::json NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease" text,
	"leased_until" timestamp with time zone
);
--> statement-breakpoint
-- Markers from before profile_groups stood for events of their own; nothing reads those now, so a rebuild covers them.
UPDATE "profile_dirty" SET "rebuild" = true WHERE "pending" > 0;

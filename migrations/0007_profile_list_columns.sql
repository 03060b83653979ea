ALTER TABLE "profiles" ADD COLUMN "channels" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "profiles" ADD COLUMN "sources" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
-- Stored touchpoints are [value, count, first, last] tuples (profiles/stored.ts); rows without a state get theirs at their rebuild.
UPDATE "profiles" SET
  "channels" = array(SELECT t->>0 FROM json_array_elements(coalesce("state"->'tp'->'ch', '[]'::json)) AS t),
  "sources" = array(SELECT t->>0 FROM json_array_elements(coalesce("state"->'tp'->'s', '[]'::json)) AS t)
WHERE "state" IS NOT NULL;

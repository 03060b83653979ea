CREATE SEQUENCE "public"."profile_dirty_batch" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
ALTER TABLE "profile_dirty" ADD COLUMN "batch" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "profile_dirty" DROP CONSTRAINT "profile_dirty_pkey";
--> statement-breakpoint
ALTER TABLE "profile_dirty" ADD CONSTRAINT "profile_dirty_pkey" PRIMARY KEY("workspace_id","profile_id","batch");
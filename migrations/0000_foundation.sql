CREATE TABLE "api_keys" (
	"hash" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"workspace_id" text NOT NULL,
	"source_id" text,
	"hint" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "events" (
	"workspace_id" text NOT NULL,
	"message_id" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"source_id" text NOT NULL,
	"type" text NOT NULL,
	"event" text,
	"name" text,
	"anonymous_id" text,
	"user_id" text,
	"previous_id" text,
	"group_id" text,
	"timestamp" timestamp with time zone NOT NULL,
	"original_timestamp" text,
	"sent_at" timestamp with time zone,
	"received_at" timestamp with time zone NOT NULL,
	"url" text,
	"path" text,
	"referrer" text,
	"referrer_host" text,
	"utm_source" text,
	"utm_medium" text,
	"utm_campaign" text,
	"utm_term" text,
	"utm_content" text,
	"click_id_type" text,
	"click_id" text,
	"channel" text NOT NULL,
	"browser" text,
	"browser_version" text,
	"engine" text,
	"os" text,
	"os_version" text,
	"device_type" text,
	"device_vendor" text,
	"device_model" text,
	"country" text,
	"ip" text,
	"is_bot" boolean DEFAULT false NOT NULL,
	"properties" jsonb,
	"traits" jsonb,
	"context" jsonb,
	CONSTRAINT "events_pkey" PRIMARY KEY("workspace_id","message_id")
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"name" text NOT NULL,
	"allowed_origins" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sources" ADD CONSTRAINT "sources_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_workspace_idx" ON "api_keys" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "events_workspace_seq_idx" ON "events" USING btree ("workspace_id","seq" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "events_workspace_anonymous_idx" ON "events" USING btree ("workspace_id","anonymous_id") WHERE "events"."anonymous_id" is not null;--> statement-breakpoint
CREATE INDEX "events_workspace_user_idx" ON "events" USING btree ("workspace_id","user_id") WHERE "events"."user_id" is not null;--> statement-breakpoint
CREATE INDEX "events_workspace_timestamp_idx" ON "events" USING btree ("workspace_id","timestamp");--> statement-breakpoint
CREATE INDEX "sources_workspace_idx" ON "sources" USING btree ("workspace_id");
CREATE TABLE "identities" (
	"workspace_id" text NOT NULL,
	"value" text NOT NULL,
	"self_id" text NOT NULL,
	"profile_id" text NOT NULL,
	"as_anonymous" boolean DEFAULT false NOT NULL,
	"as_user" boolean DEFAULT false NOT NULL,
	"as_email" boolean DEFAULT false NOT NULL,
	"as_previous" boolean DEFAULT false NOT NULL,
	"known" boolean DEFAULT false NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"first_message_id" text NOT NULL,
	CONSTRAINT "identities_pkey" PRIMARY KEY("workspace_id","value")
);
--> statement-breakpoint
CREATE TABLE "identity_history" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "identity_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"profile_id" text NOT NULL,
	"kind" text NOT NULL,
	"other_profile_id" text NOT NULL,
	"identifiers" jsonb NOT NULL,
	"cause_message_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identity_links" (
	"workspace_id" text NOT NULL,
	"message_id" text NOT NULL,
	"position" integer NOT NULL,
	"a" text NOT NULL,
	"b" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"alias" boolean NOT NULL,
	"outcome" text DEFAULT 'pending' NOT NULL,
	CONSTRAINT "identity_links_pkey" PRIMARY KEY("workspace_id","message_id","position")
);
--> statement-breakpoint
CREATE TABLE "profiles" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"known" boolean NOT NULL,
	"identifier_count" integer NOT NULL,
	"first_seen" timestamp with time zone,
	"last_seen" timestamp with time zone,
	"events" integer NOT NULL,
	"orders" integer NOT NULL,
	"revenue" double precision NOT NULL,
	"last_order_at" timestamp with time zone,
	"average_days_between_orders" double precision,
	"traits" jsonb NOT NULL,
	"facts" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "profiles_pkey" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "owner_id" text;--> statement-breakpoint
CREATE INDEX "identities_profile_idx" ON "identities" USING btree ("workspace_id","profile_id");--> statement-breakpoint
CREATE INDEX "identities_self_idx" ON "identities" USING btree ("workspace_id","self_id");--> statement-breakpoint
CREATE INDEX "identity_history_profile_idx" ON "identity_history" USING btree ("workspace_id","profile_id");--> statement-breakpoint
CREATE INDEX "identity_links_a_idx" ON "identity_links" USING btree ("workspace_id","a");--> statement-breakpoint
CREATE INDEX "identity_links_b_idx" ON "identity_links" USING btree ("workspace_id","b");--> statement-breakpoint
CREATE INDEX "profiles_last_seen_idx" ON "profiles" USING btree ("workspace_id","last_seen" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "profiles_revenue_idx" ON "profiles" USING btree ("workspace_id","revenue" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "events_workspace_owner_idx" ON "events" USING btree ("workspace_id","owner_id") WHERE "events"."owner_id" is not null;
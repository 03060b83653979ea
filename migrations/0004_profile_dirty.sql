CREATE TABLE "profile_dirty" (
	"workspace_id" text NOT NULL,
	"profile_id" text NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "profile_dirty_pkey" PRIMARY KEY("workspace_id","profile_id")
);

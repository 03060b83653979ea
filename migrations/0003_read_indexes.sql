DROP INDEX "events_workspace_owner_idx";--> statement-breakpoint
CREATE INDEX "events_workspace_owner_time_idx" ON "events" USING btree ("workspace_id","owner_id","timestamp") WHERE "events"."owner_id" is not null;--> statement-breakpoint
CREATE INDEX "identity_history_other_idx" ON "identity_history" USING btree ("workspace_id","other_profile_id");--> statement-breakpoint
CREATE INDEX "profiles_customers_idx" ON "profiles" USING btree ("workspace_id","last_order_at","orders","revenue") WHERE "profiles"."orders" > 0;
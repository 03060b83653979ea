-- The state is written and read whole: json keeps the text as sent, jsonb would parse it into a tree on every write.
ALTER TABLE "profiles" ALTER COLUMN "state" SET DATA TYPE json USING "state"::json;

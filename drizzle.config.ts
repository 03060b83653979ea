import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './packages/collector/src/db/schema.ts',
  out: './migrations',
});

import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import postgres from 'postgres';
import { noDelaySocket } from '../packages/collector/src/db/node-socket.ts';

export interface CopyResult {
  rows: number;
  /** Into `like events including defaults including identity`: no index, no key. */
  plainRowsPerSec: number;
  /** Into `like events including all`: the same primary key and indexes as `events`. */
  indexedRowsPerSec: number;
}

const ROWS_PER_COPY = 500;
const PARALLEL = 4;

/**
 * The ceiling the collector is held against: how fast PostgreSQL itself takes the rows the
 * collector stored, by COPY FROM STDIN, 500 rows a statement, 4 connections, TCP_NODELAY on
 * (without it every COPY waits ~40 ms on Nagle and the ceiling looks half as high).
 *
 * The rows are the collector's own output, read back in COPY text format, so both sides
 * store byte-identical values (enriched columns, jsonb). `seq` is left out and generated,
 * as it is for the collector's inserts.
 */
export async function measureCopy(url: string, workspaceId: string, maxRows: number): Promise<CopyResult> {
  // `socket` is a documented postgres.js option missing from its type definitions.
  const socketOption = { socket: noDelaySocket } as Record<string, unknown>;
  const sql = postgres(url, { max: PARALLEL, onnotice: () => {}, ...socketOption });
  try {
    const columns = await sql<{ name: string }[]>`
      select column_name as name from information_schema.columns
      where table_name = 'events' and table_schema = current_schema() and column_name <> 'seq'
      order by ordinal_position`;
    const list = columns.map((c) => `"${c.name}"`).join(', ');
    const lines = await readRows(sql, `copy (select ${list} from events where workspace_id = '${workspaceId.replace(/'/g, "''")}' order by seq limit ${Math.floor(maxRows)}) to stdout`);
    const chunks: string[] = [];
    for (let i = 0; i < lines.length; i += ROWS_PER_COPY) chunks.push(`${lines.slice(i, i + ROWS_PER_COPY).join('\n')}\n`);

    await sql.unsafe('create table bench_copy_plain (like events including defaults including identity)');
    await sql.unsafe('create table bench_copy_indexed (like events including all)');
    const plain = await copyInto(sql, 'bench_copy_plain', list, chunks);
    const indexed = await copyInto(sql, 'bench_copy_indexed', list, chunks);
    await sql.unsafe('drop table bench_copy_plain, bench_copy_indexed');
    return { rows: lines.length, plainRowsPerSec: lines.length / plain, indexedRowsPerSec: lines.length / indexed };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** COPY TO STDOUT into memory; text format ends each row with a newline and escapes the rest. */
async function readRows(sql: postgres.Sql, statement: string): Promise<string[]> {
  const parts: Buffer[] = [];
  const stream = await sql.unsafe(statement).readable();
  for await (const part of stream) parts.push(Buffer.from(part as Uint8Array));
  const text = Buffer.concat(parts).toString('utf8');
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** Seconds to COPY every chunk, `PARALLEL` statements at a time, each on its own connection. */
async function copyInto(sql: postgres.Sql, table: string, list: string, chunks: readonly string[]): Promise<number> {
  let next = 0;
  async function worker(): Promise<void> {
    while (next < chunks.length) {
      const chunk = chunks[next++]!;
      const target: Writable = await sql.unsafe(`copy ${table} (${list}) from stdin`).writable();
      target.end(chunk);
      await finished(target);
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return (performance.now() - started) / 1000;
}

import net from 'node:net';

/**
 * A postgres.js `socket` option that records, for every write to the server, the types of the
 * frontend messages in it (Q = simple query, P = Parse, D = Describe, B = Bind, ...): what went
 * out together, and how often a statement was parsed.
 */
export function recordingSocket(writes: string[][]) {
  return (target: { host: string[]; port: number[] }) => new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect({ host: target.host[0], port: target.port[0] ?? 5432 });
    const write = socket.write.bind(socket) as (chunk: Buffer, ...rest: unknown[]) => boolean;
    let started = false;
    socket.write = ((chunk: Buffer, ...rest: unknown[]) => {
      // The startup message has no type byte; everything after it does.
      const types: string[] = [];
      for (let at = 0; started && at < chunk.length; at += 1 + chunk.readUInt32BE(at + 1)) types.push(String.fromCharCode(chunk[at]!));
      if (started) writes.push(types);
      started = true;
      return write(chunk, ...rest);
    }) as typeof socket.write;
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** How many messages of each type the writes held. */
export function countTypes(writes: readonly string[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of writes.flat()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

import net from 'node:net';

interface SocketTarget {
  host: string[];
  port: number[];
}

/**
 * postgres.js never sets TCP_NODELAY, so each COPY or small final message waits ~40 ms for
 * Nagle's algorithm. Pass this as its `socket` option. Node only: Workers use their own sockets.
 */
export function noDelaySocket(target: SocketTarget): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.host[0], port: target.port[0] ?? 5432, noDelay: true });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** postgres.js options with noDelaySocket as `socket` (a documented option missing from its type definitions). */
export function withNoDelay<T extends object>(options: T): T {
  return { ...options, socket: noDelaySocket };
}

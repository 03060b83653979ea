import { HttpError } from './errors.ts';

/** Reads at most `limit` bytes, so an oversized body is refused without buffering it whole. */
async function readLimited(stream: ReadableStream<Uint8Array>, limit: number, tooLarge: () => HttpError) {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

type ByteTransform = ReadableWritablePair<Uint8Array, Uint8Array>;

function decoded(body: ReadableStream<Uint8Array>, encoding: string | undefined): ReadableStream<Uint8Array> {
  const name = (encoding ?? '').trim().toLowerCase();
  if (name === '' || name === 'identity') return body;
  if (name === 'gzip' || name === 'x-gzip') return body.pipeThrough(new DecompressionStream('gzip') as unknown as ByteTransform);
  if (name === 'deflate') return body.pipeThrough(new DecompressionStream('deflate') as unknown as ByteTransform);
  throw new HttpError(415, 'unsupported_encoding', `Content-Encoding ${name} is not supported (use gzip)`);
}

/** JSON and text/plain (what beacons and Segment's browser library send) are both JSON here. */
function checkMediaType(contentType: string | undefined): void {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '' || type === 'text/plain' || type === 'application/json' || type.endsWith('+json')) return;
  throw new HttpError(415, 'unsupported_media_type', `Content-Type ${type} is not supported (send JSON)`);
}

export interface BodyLimit {
  bytes: number;
  tooLarge: () => HttpError;
}

/** Parses a request body as JSON, after gzip if declared, within a byte limit (after decoding). */
export async function readJsonBody(request: Request, limit: BodyLimit): Promise<{ value: unknown; text: string }> {
  checkMediaType(request.headers.get('content-type') ?? undefined);
  if (!request.body) throw new HttpError(400, 'invalid_body', 'the request has no body');
  let bytes: Uint8Array;
  try {
    bytes = await readLimited(decoded(request.body, request.headers.get('content-encoding') ?? undefined), limit.bytes, limit.tooLarge);
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'invalid_body', 'the body could not be decoded (corrupt gzip?)');
  }
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === '') throw new HttpError(400, 'invalid_body', 'the request body is empty');
  try {
    return { value: JSON.parse(text), text };
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  }
}

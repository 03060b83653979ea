type Json = Record<string, unknown>;

const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function resolveRef(doc: Json, value: unknown): unknown {
  const ref = (value as { $ref?: string } | null)?.$ref;
  if (!ref) return value;
  return ref.split('/').slice(1).reduce<unknown>((node, key) => (node as Json)[key], doc);
}

function operation(doc: Json, path: string, method: string, op: Json): string {
  const params = (op.parameters as Json[] | undefined) ?? [];
  const rows = params
    .map((p) => `<tr><td><code>${escape(String(p.name))}</code></td><td>${escape(String(p.in))}</td><td>${p.required ? 'yes' : ''}</td><td><code>${escape(JSON.stringify(p.schema))}</code></td></tr>`)
    .join('');
  const body = (op.requestBody as { content?: Record<string, { schema: unknown }> } | undefined)?.content?.['application/json']?.schema;
  const responses = Object.keys((op.responses as Json | undefined) ?? {}).join(', ');
  const auth = ((op.security as Json[] | undefined) ?? []).map((s) => Object.keys(s).join('')).join(' or ') || 'none';
  return `<section id="${escape(`${method}-${path}`)}">
<h3><span class="m">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
<p>${escape(String(op.summary ?? ''))}</p>${op.description ? `<p class="d">${escape(String(op.description))}</p>` : ''}
<p><b>Auth:</b> ${escape(auth)} · <b>Answers:</b> ${escape(responses)}</p>
${rows ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr>${rows}</table>` : ''}
${body ? `<details><summary>request body</summary><pre>${escape(JSON.stringify(resolveRef(doc, body), null, 2))}</pre></details>` : ''}
</section>`;
}

/** A self-contained reference page (no CDN: collectors often run where nothing else loads). */
export function referencePage(doc: Json): string {
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const sections = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => operation(doc, path, method, op)));
  const info = doc.info as { title: string; description: string };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escape(info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2433}
code,pre{font:13px ui-monospace,monospace}pre{background:#f4f5f7;padding:.75rem;overflow:auto}
section{border-top:1px solid #e3e5e8;padding:.5rem 0}.m{background:#1d2433;color:#fff;padding:0 .4rem;border-radius:3px;font-size:12px}
table{border-collapse:collapse}td,th{border:1px solid #e3e5e8;padding:.2rem .5rem;text-align:left;vertical-align:top}.d{color:#555}</style>
</head><body><h1>${escape(info.title)}</h1><p>${escape(info.description)} Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>
${sections.join('\n')}</body></html>`;
}

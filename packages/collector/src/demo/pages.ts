/** The demo promotion that `npm start` serves: a contest landing page of a fictional brand. */
export interface DemoConfig {
  writeKey: string;
  /** Served by the collector itself: the script's origin is where events go, whatever host the page was opened by. */
  scriptPath: string;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function demoPage({ writeKey, scriptPath }: DemoConfig): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Caffè Aurora: win a year of coffee</title>
<script>window.vista=window.vista||function(){(vista.q=vista.q||[]).push(arguments)}</script>
<script async src="${escape(scriptPath)}" data-key="${escape(writeKey)}" data-allow-automation></script>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#2b1d14;background:#fbf6ef}
header,main,footer{max-width:46rem;margin:auto;padding:1rem}
header{display:flex;gap:1rem;align-items:center}header a{color:#7a3e12}
.card{background:#fff;border-radius:12px;padding:1.25rem;margin:1rem 0;box-shadow:0 1px 3px #0002}
button{background:#7a3e12;color:#fff;border:0;border-radius:8px;padding:.6rem 1rem;font:inherit;cursor:pointer}
input{font:inherit;padding:.5rem;border:1px solid #caa;border-radius:6px;width:16rem}
#log{font:13px ui-monospace,monospace;white-space:pre-wrap;background:#2b1d14;color:#f5e6d3;padding:1rem;border-radius:8px;min-height:3rem}
</style></head>
<body>
<header><strong>Caffè Aurora</strong>
<a href="/demo/" data-nav>Contest</a><a href="/demo/shop" data-nav>Shop</a>
<a href="https://example.org/partner" data-vista-event="Partner Clicked" data-vista-prop-placement="header">Our partner</a></header>
<main id="view"></main>
<main><div class="card"><h3>What the collector stored</h3>
<p>Your browser's events, newest first (<code>GET /v1/events</code> with the demo's secret key):
<button id="refresh" type="button">Refresh</button></p><div id="log">Click around, then refresh.</div></div></main>
<footer><small>Vista demo. Events go to this collector's /v1/batch with write key ${escape(writeKey.slice(0, 7))}…
(<code>data-allow-automation</code> lets browser tests drive this page; a real site leaves it out.)</small></footer>
<script>
const views = {
  '/demo/': \`<div class="card"><h1>Win a year of coffee</h1>
    <p>Enter the Aurora contest: one winner every week until spring.</p>
    <form data-vista-form="Contest Entry" id="contest">
      <input type="email" name="email" placeholder="you@example.com" data-vista-identify required>
      <label><input type="checkbox" name="newsletter" style="width:auto"> Send me the newsletter</label>
      <p><button>Enter the contest</button></p></form><p id="thanks" hidden>Good luck! We will write to you.</p></div>\`,
  '/demo/shop': \`<div class="card"><h1>Aurora Espresso Blend, 1 kg</h1><p>Dark roast, notes of cocoa. <b>€24.90</b></p>
    <p><button id="buy" type="button">Buy now</button> <span id="bought"></span></p></div>\`,
};
function render() {
  document.getElementById('view').innerHTML = views[location.pathname] || views['/demo/'];
  const form = document.getElementById('contest');
  if (form) form.addEventListener('submit', (e) => { e.preventDefault(); form.hidden = true; document.getElementById('thanks').hidden = false; });
  const buy = document.getElementById('buy');
  if (buy) buy.addEventListener('click', () => {
    const orderId = 'ord-' + Math.random().toString(36).slice(2, 8);
    vista('track', 'Order Completed', { order_id: orderId, revenue: 24.9, currency: 'EUR',
      products: [{ product_id: 'aurora-espresso-1kg', name: 'Aurora Espresso Blend', category: 'Coffee', price: 24.9, quantity: 1 }] });
    document.getElementById('bought').textContent = 'Thank you! Order ' + orderId;
  });
}
document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-nav]');
  if (!a) return;
  e.preventDefault();
  history.pushState({}, '', a.getAttribute('href'));
  render();
});
addEventListener('popstate', render);
render();
async function refresh() {
  vista('flush');
  await new Promise((r) => setTimeout(r, 300));
  const res = await fetch('/demo/events');
  const { data } = await res.json();
  document.getElementById('log').textContent = data.map((e) =>
    [e.receivedAt.slice(11, 19), e.type, e.event || e.name || '', e.userId || '', e.enrichment.channel].join('  ')).join('\\n') || 'Nothing yet.';
}
document.getElementById('refresh').addEventListener('click', refresh);
</script>
</body></html>`;
}

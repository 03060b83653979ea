// Script-tag entry (dist/v.js): options from the tag's data-* attributes and any init calls the
// stub queued, then the other queued calls, replayed in order.
import { fromAttributes } from './config';
import { createVista } from './index';
import type { VistaStub } from './types';

const tag = document.currentScript as HTMLScriptElement;
const stub = window.vista;

// A second copy of the script must not track everything twice.
if (!stub?.l) {
  const o = fromAttributes(tag.dataset);
  // The collector serves the script, so by default events go back where it came from.
  o.apiHost ||= new URL(tag.src).origin;
  const queue = stub?.q || [];
  for (const [c, options] of queue as unknown[][]) if (c == 'init') Object.assign(o, options);
  const vista = (window.vista = createVista(o) as unknown as VistaStub);
  vista.l = 1;
  for (const args of queue) vista(...(args as unknown[]));
}

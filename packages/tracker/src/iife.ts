// Script-tag entry (dist/v.js): options from the tag's data-* attributes, then the calls the stub
// queued before the script loaded, replayed in order.
import { fromAttributes } from './config';
import { createVista } from './index';
import type { VistaStub } from './types';

const tag = document.currentScript as HTMLScriptElement | null;
const stub = window.vista;

// A second copy of the script must not track everything twice.
if (!stub?.l) {
  const o = fromAttributes({ ...tag?.dataset });
  // The collector serves the script, so by default events go back where it came from.
  if (tag?.src) o.apiHost ||= new URL(tag.src).origin;
  const vista = createVista(o) as unknown as VistaStub;
  vista.l = 1;
  window.vista = vista;
  for (const args of stub?.q || []) vista(...Array.from(args));
}

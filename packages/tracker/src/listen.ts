// One way to listen, for every listener of the tracker: on the window, in the capture phase (so
// events that do not bubble, like scrolls of inner elements, are seen too, and before a page's
// handler can stop them), and passive (the tracker never prevents or delays anything).
export const on = <E extends Event>(type: string, listener: (e: E) => unknown): void =>
  addEventListener(type, listener as EventListener, { capture: true, passive: true });

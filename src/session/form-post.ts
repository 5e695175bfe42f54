// The legacy CareConnect "POST integration": a hidden form posted into the viewer's named window.
// The fields travel in the POST body, never in a URL. Built with DOM APIs, so it is CSP-safe, and
// inside a closed shadow root, so the host page's DOM observers (session replay, analytics) never
// see the health number or the name in the form's inputs.

/** A blocked POST, or a blocked redirect of it, is reported this soon after the submit. */
const WATCH_MS = 10_000;
/** The watch on the last POST: only the latest one can still be reported blocked. */
let watching: AbortController | undefined;

/**
 * Posts `fields` to `action` in the window named `target`. `onBlocked` runs if the page's own
 * Content-Security-Policy (`form-action`) stops the POST, or a redirect of it: the window then
 * keeps what it showed, and the browser says why only in its console.
 */
export function submitForm(target: string, action: string, fields: Record<string, string>, onBlocked?: () => void): void {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = action;
  form.target = target;
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  }
  const host = document.createElement('div');
  host.hidden = true;
  host.attachShadow({ mode: 'closed' }).append(form);
  document.body.append(host);
  watching?.abort();
  const watch = (watching = new AbortController());
  const blocked = () => {
    if (watch.signal.aborted) return; // reported once
    watch.abort();
    onBlocked?.();
  };
  setTimeout(() => watch.abort(), WATCH_MS);
  document.addEventListener('securitypolicyviolation', (event) => {
    // An enforced form-action only: a report-only policy lets the POST through.
    if (event.effectiveDirective === 'form-action' && event.disposition === 'enforce') blocked();
  }, { signal: watch.signal });
  try {
    form.submit();
  } catch {
    // Firefox throws where the other engines fire the event: the same blocked POST, told once the caller has returned.
    queueMicrotask(blocked);
  } finally {
    host.remove();
  }
}

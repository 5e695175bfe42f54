// The legacy CareConnect "POST integration": a hidden form posted into the viewer's named window.
// The fields travel in the POST body, never in a URL. Built with DOM APIs, so it is CSP-safe, and
// inside a closed shadow root, so the host page's DOM observers (session replay, analytics) never
// see the health number or the name in the form's inputs.

export function submitForm(target: string, action: string, fields: Record<string, string>): void {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = action;
  form.target = target;
  form.hidden = true;
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
  try {
    form.submit();
  } finally {
    host.remove();
  }
}

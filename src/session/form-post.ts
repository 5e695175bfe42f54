// The legacy CareConnect "POST integration": a hidden form posted into the viewer's named window.
// The fields travel in the POST body, never in a URL. Built with DOM APIs, so it is CSP-safe.

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
  document.body.append(form);
  try {
    form.submit();
  } finally {
    form.remove();
  }
}

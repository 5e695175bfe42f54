// The EMR page's Content-Security-Policy blocks the form POST (`form-action 'self'`): the button says
// so with a typed error instead of a blank window under state="showing". Real popups, real CSP.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/components/define.js';
import type { CareConnectButton } from '../../src/components/careconnect-button.js';
import { sleep, testViewerOrigin, useViewerWindows, waitFor } from '../helpers/browser.js';
import { click, statusText } from '../helpers/element.js';

const MESSAGE = "This page's security policy (form-action) blocked CareConnect. Contact your EMR support.";

const windows = useViewerWindows();

async function formButton() {
  const origin = await testViewerOrigin();
  const el = await fixture<CareConnectButton>(html`<careconnect-button location-province="BC" health-number="9698 658 215" patient-id="chart-A"></careconnect-button>`);
  el.viewers = { 'bc-careconnect': { launchUrl: `${origin}/form-echo`, transport: 'form-post', organization: 'CLINIC01' } };
  await el.updateComplete;
  return el;
}

const posts = () => windows.viewer.reports.filter((report) => report.form);

/** From here on, this test page runs under `form-action 'self'` (a policy cannot be taken back). */
function enforceFormActionSelf(): void {
  if (document.querySelector('meta[http-equiv="Content-Security-Policy"]')) return;
  const meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = "form-action 'self'";
  document.head.append(meta);
}

// In order: the first test needs the page without the policy.
describe('when the EMR page CSP blocks the form POST', () => {
  it('ignores a report-only form-action violation: that POST went through', async () => {
    const el = await formButton();
    const errors: string[] = [];
    el.addEventListener('careconnect-error', (event) => errors.push(event.detail.code));
    click(el);
    document.dispatchEvent(new SecurityPolicyViolationEvent('securitypolicyviolation', {
      disposition: 'report', effectiveDirective: 'form-action', violatedDirective: 'form-action', originalPolicy: "form-action 'self'",
      blockedURI: '', documentURI: location.href, statusCode: 200,
    }));
    await waitFor(() => posts().length === 1, 'the form echo');
    await el.updateComplete;
    expect(errors).to.deep.equal([]);
    expect(el.getAttribute('state')).to.equal('showing');
  });

  it('gives blocked-by-policy for the next patient, and leaves the window with the patient it shows', async () => {
    const el = await formButton();
    click(el);
    await waitFor(() => posts().length === 1, 'the first post');
    enforceFormActionSelf();
    Object.assign(el, { healthNumber: '9735 353 315', patientId: 'chart-B' });
    await el.updateComplete;
    setTimeout(() => click(el));
    const error = await oneEvent(el, 'careconnect-error');
    expect(error.detail).to.deep.include({ code: 'blocked-by-policy', message: MESSAGE, viewerId: 'bc-careconnect' });
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('error');
    // The window still shows the first patient: the wrong-patient warning stands beside the error.
    expect(statusText(el)).to.equal(`${MESSAGE} CareConnect is still showing a different patient.`);
    expect(windows.spy.opened).to.have.length(1);
    expect(windows.spy.opened[0]!.closed, 'the window still shows the first patient').to.equal(false);
    await sleep(300);
    expect(posts()).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('gives blocked-by-policy and closes the blank window it opened', async () => {
    enforceFormActionSelf();
    const el = await formButton();
    const closes: unknown[] = [];
    el.addEventListener('careconnect-close', (event) => closes.push(event.detail));
    setTimeout(() => click(el));
    const error = await oneEvent(el, 'careconnect-error');
    expect(error.detail.code).to.equal('blocked-by-policy');
    expect(windows.spy.opened).to.have.length(1);
    await waitFor(() => windows.spy.opened[0]!.closed, 'the blank window to close');
    await sleep(700); // past the closed poll: the SDK closed it, so no careconnect-close
    expect(closes).to.deep.equal([]);
    expect(posts()).to.have.length(0);
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('error');
  });
});

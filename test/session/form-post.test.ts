// submitForm's watch for a CSP that blocks the POST, with form.submit() stubbed and the violations
// dispatched by hand (form-post-csp.test.ts has the real policy and real windows).
import { expect } from '@open-wc/testing';
import { submitForm } from '../../src/session/form-post.js';

const violation = (effectiveDirective: string, disposition: 'enforce' | 'report' = 'enforce') =>
  document.dispatchEvent(new SecurityPolicyViolationEvent('securitypolicyviolation', {
    effectiveDirective, violatedDirective: effectiveDirective, disposition, originalPolicy: `${effectiveDirective} 'self'`,
    blockedURI: 'https://viewer.example', documentURI: location.href, statusCode: 200,
  }));

describe('submitForm', () => {
  let original: typeof HTMLFormElement.prototype.submit;
  beforeEach(() => {
    original = HTMLFormElement.prototype.submit;
    HTMLFormElement.prototype.submit = () => {};
  });
  afterEach(() => {
    HTMLFormElement.prototype.submit = original;
  });

  it('reports an enforced form-action violation once', () => {
    const blocked: string[] = [];
    submitForm('careconnect-test', 'https://viewer.example/launch', { phn: '1' }, () => blocked.push('first'));
    violation('script-src-elem');
    violation('form-action', 'report');
    expect(blocked).to.deep.equal([]);
    violation('form-action');
    violation('form-action');
    expect(blocked).to.deep.equal(['first']);
  });

  it('watches only the latest POST', () => {
    const blocked: string[] = [];
    submitForm('careconnect-test', 'https://viewer.example/launch', { phn: '1' }, () => blocked.push('first'));
    submitForm('careconnect-test', 'https://viewer.example/launch', { phn: '2' }, () => blocked.push('second'));
    violation('form-action');
    expect(blocked).to.deep.equal(['second']);
  });
});

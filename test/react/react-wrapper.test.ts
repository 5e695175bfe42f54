// The React wrapper, rendered with React 19 in each browser engine.
import { expect } from '@open-wc/testing';
// React is CommonJS: default imports work in every toolchain, named ones do not.
import React from 'react';
import ReactDOM from 'react-dom';
import ReactDOMClient, { type Root } from 'react-dom/client';
import { CareConnectButton } from '../../src/react/index.js';
import type { CareConnectButton as Element } from '../../src/components/careconnect-button.js';
import { click } from '../helpers/element.js';

describe('careconnect-launch/react', () => {
  let host: HTMLDivElement;
  let root: Root;

  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
    root = ReactDOMClient.createRoot(host);
  });

  afterEach(() => {
    root.unmount();
    host.remove();
  });

  it('renders the element with props as properties, and calls typed event props', async () => {
    const errors: string[] = [];
    ReactDOM.flushSync(() =>
      root.render(React.createElement(CareConnectButton, {
        locationProvince: 'BC',
        healthNumber: '1234',
        viewers: { 'bc-careconnect': { launchUrl: 'https://viewer.example/', transport: 'post-message' } },
        tokenProvider: async () => 'token',
        onCareconnectError: (event) => errors.push(event.detail.code),
      })),
    );
    const element = host.querySelector('careconnect-button') as Element;
    expect(element).to.be.instanceOf(customElements.get('careconnect-button')!);
    await element.updateComplete;
    expect(element.viewers).to.deep.equal({ 'bc-careconnect': { launchUrl: 'https://viewer.example/', transport: 'post-message' } });
    click(element);
    expect(errors).to.deep.equal(['health-number-required']);
  });

  it('updates the element when React re-renders with a new patient', async () => {
    const render = (healthNumber: string) =>
      ReactDOM.flushSync(() => root.render(React.createElement(CareConnectButton, { locationProvince: 'AB', healthNumber })));
    render('111');
    const element = host.querySelector('careconnect-button') as Element;
    render('222');
    await element.updateComplete;
    expect(element.healthNumber).to.equal('222');
    expect(element.shadowRoot!.textContent).to.contain('Alberta Netcare Portal');
  });
});

// A page that pins the one-file bundle with Subresource Integrity pins its lazy chunks too, with the
// hashes the build writes to dist/integrity.json: the bundle by its script tag's integrity, the
// French messages and the form POST by an import map's "integrity" (README, "Self-hosting").
// Each page is an iframe of this origin loading dist/ as a vendor would, from another origin (a CDN).
import { expect } from '@open-wc/testing';
import type { CareConnectButton } from '../../src/components/careconnect-button.js';
import { sleep, testViewerOrigin, waitFor } from '../helpers/browser.js';
import { click, statusText } from '../helpers/element.js';

const BUNDLE = 'careconnect-button.bundle.js';
const FRENCH = 'careconnect-button.messages-fr.js';
const REQUIRED_FR = "Un numéro d'assurance maladie de la Colombie-Britannique est requis pour accéder à CareConnect.";
const REQUIRED_EN = 'A British Columbia health number is required to access CareConnect.';
/** A well-formed hash of other bytes. */
const WRONG = `sha384-${btoa(String.fromCharCode(...new Uint8Array(48)))}`;

let integrity: Record<string, string>;
let cdn: string;
const frames: HTMLIFrameElement[] = [];

before(async () => {
  integrity = await (await fetch('/dist/integrity.json')).json();
  cdn = await testViewerOrigin();
});

afterEach(() => {
  for (const frame of frames.splice(0)) frame.remove();
});

/** A French vendor page that loads the bundle with `bundleHash` and pins the chunks with `chunkHashes`. */
async function vendorPage(bundleHash: string, chunkHashes: Record<string, string>) {
  const url = (file: string) => `${cdn}/dist/${file}`;
  const importMap = { integrity: Object.fromEntries(Object.entries(chunkHashes).map(([file, hash]) => [url(file), hash])) };
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><html lang="fr"><head>
    <script type="importmap">${JSON.stringify(importMap)}</script>
    <script type="module" src="${url(BUNDLE)}" integrity="${bundleHash}" crossorigin="anonymous"></script>
    </head><body><careconnect-button location-province="BC"></careconnect-button></body></html>`;
  frames.push(frame);
  document.body.append(frame);
  const win = await waitFor(() => frame.contentWindow?.document.readyState === 'complete' && frame.contentWindow, 'the page to load');
  const fetched = (file: string) => win.performance.getEntriesByName(url(file)).length > 0;
  return { win, fetched };
}

/** Clicks the button with no health number: the message says which catalog the page has. */
async function statusAfterClick(win: Window) {
  const el = win.document.querySelector('careconnect-button') as CareConnectButton;
  el.viewers = { 'bc-careconnect': { launchUrl: 'https://viewer.example/', transport: 'post-message' } };
  el.tokenProvider = async () => 'token';
  await el.updateComplete;
  click(el);
  await el.updateComplete;
  return () => statusText(el);
}

describe('Subresource Integrity for the bundle and its chunks', () => {
  it('loads the bundle and the French chunk when both hashes match', async () => {
    const { win } = await vendorPage(integrity[BUNDLE]!, { [FRENCH]: integrity[FRENCH]! });
    await waitFor(() => win.customElements.get('careconnect-button'), 'the element to be defined', 5000);
    const status = await statusAfterClick(win);
    await waitFor(() => status() === REQUIRED_FR, 'the French message', 5000);
  });

  it('refuses a French chunk that does not match its pinned hash: the button speaks English, and works', async () => {
    const { win, fetched } = await vendorPage(integrity[BUNDLE]!, { [FRENCH]: WRONG });
    await waitFor(() => win.customElements.get('careconnect-button'), 'the element to be defined', 5000);
    const status = await statusAfterClick(win);
    await waitFor(() => fetched(FRENCH), 'the French chunk to be fetched', 5000);
    await sleep(300);
    expect(status()).to.equal(REQUIRED_EN);
    // And it settles: a refused chunk is not asked for again and again, re-rendering as fast as it fails.
    const el = win.document.querySelector('careconnect-button') as CareConnectButton & { updated(): void };
    let renders = 0;
    el.updated = () => void renders++;
    await sleep(500);
    expect(renders, 'renders in 500 ms after the refusal').to.be.below(3);
  });

  it('refuses a bundle that does not match its pinned hash: no element is defined', async () => {
    const { win, fetched } = await vendorPage(WRONG, { [FRENCH]: integrity[FRENCH]! });
    await waitFor(() => fetched(BUNDLE), 'the bundle to be fetched', 5000);
    await sleep(300);
    expect(win.customElements.get('careconnect-button')).to.equal(undefined);
  });
});

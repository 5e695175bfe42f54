// French, the compact variant and accessibility in every state a clinician can meet.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/define.js';
import type { CareConnectButton } from '../../src/components/careconnect-button.js';
import { CATALOGS, loadFrench, message, type MessageKey } from '../../src/components/messages.js';
import { ERROR_CODES } from '../../src/core/errors.js';
import { VIEWERS } from '../../src/core/viewers.js';
import { closeAllViewers, recordEvents, stubWindowOpen } from '../helpers/browser.js';
import { baseButton as shadowButton, statusText } from '../helpers/element.js';

const VALID_PHN = '9698 658 215';
const ENABLED = { 'bc-careconnect': { launchUrl: 'https://viewer.example/launch', transport: 'post-message' as const } };

let openStub: ReturnType<typeof stubWindowOpen> | null = null;
afterEach(() => {
  closeAllViewers();
  openStub?.restore();
  openStub = null;
  document.documentElement.lang = 'en';
});

async function bcButton(template = html`<careconnect-button location-province="BC"></careconnect-button>`) {
  const el = await fixture<CareConnectButton>(template);
  el.viewers = ENABLED;
  el.tokenProvider = async () => 'token';
  await el.updateComplete;
  return el;
}

describe('French', () => {
  before(() => loadFrench());

  it('has a French message for every English key, and none left in English', async () => {
    const keys = Object.keys(CATALOGS.en!.messages) as MessageKey[];
    expect(keys).to.include.members([...ERROR_CODES.filter((code) => code !== 'no-viewer'), 'stale', 'retry']);
    expect(Object.keys(CATALOGS.fr!.messages).sort()).to.deep.equal([...keys].sort());
    expect(Object.keys(CATALOGS.fr!.provinces).sort()).to.deep.equal(Object.keys(CATALOGS.en!.provinces).sort());
    for (const key of keys) {
      for (const viewer of Object.values(VIEWERS)) {
        const fr = message(key, viewer, 'fr');
        expect(fr, `${key} for ${viewer.id}`).to.be.a('string').and.not.match(/\{|undefined/);
        if (key !== 'retry') expect(fr, `${key} is translated`).not.to.equal(message(key, viewer, 'en'));
      }
    }
  });

  it('has each French line in its English line\'s place (the French chunk holds no keys)', () => {
    const placeholders = (text: string) => text.match(/\{\w+\}/g)?.sort().join() ?? '';
    for (const [key, english] of Object.entries(CATALOGS.en!.messages)) {
      expect(placeholders(CATALOGS.fr!.messages[key as MessageKey]), key).to.equal(placeholders(english));
    }
    expect(CATALOGS.fr!.messages.retry).to.equal('Réessayer');
    expect(CATALOGS.fr!.messages.matching).to.equal('Vérifiez le patient dans {viewer}, puis acceptez\u2011le.');
  });

  it('never breaks a line inside celui-ci, acceptez-le or connectez-vous-y, at any width', () => {
    // A hyphen-minus lets the line break after it: "… acceptiez celui-" / "ci." on a narrow chart.
    const line = Object.assign(document.createElement('p'), { lang: 'fr' });
    line.style.cssText = 'font-size: 14px; margin: 0';
    document.body.append(line);
    try {
      for (const [key, compound] of [['stale-pending', /celui.ci/], ['matching', /acceptez.le/], ['waiting', /connectez.vous.y/]] as const) {
        line.textContent = message(key, VIEWERS['bc-careconnect'], 'fr');
        const text = line.firstChild as Text;
        const found = compound.exec(text.data)!;
        const range = document.createRange();
        range.setStart(text, found.index);
        range.setEnd(text, found.index + found[0].length);
        for (let width = 40; width <= 420; width += 2) {
          line.style.width = `${width}px`;
          const lines = new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top)));
          expect(lines.size, `${found[0]} at ${width}px`).to.equal(1);
        }
      }
    } finally {
      line.remove();
    }
  });

  it('says each phase of a launch in French, in the polite status region', async () => {
    openStub = stubWindowOpen();
    const el = await bcButton(html`<careconnect-button lang="fr" location-province="BC"></careconnect-button>`);
    el.healthNumber = VALID_PHN;
    el.tokenProvider = () => new Promise<string>(() => {}); // still minting: the launch stays opening
    await el.updateComplete;
    shadowButton(el)!.click();
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('opening');
    expect(statusText(el)).to.equal('Ouverture de CareConnect…');
    await expect(el).to.be.accessible();
  });

  it('speaks French with lang="fr" on the element', async () => {
    openStub = stubWindowOpen();
    const el = await bcButton(html`<careconnect-button lang="fr" location-province="BC"></careconnect-button>`);
    const errors = recordEvents<{ message: string }>(el, 'careconnect-error');
    shadowButton(el)!.click();
    await el.updateComplete;
    const expected = "Un numéro d'assurance maladie de la Colombie-Britannique est requis pour accéder à CareConnect.";
    expect(statusText(el)).to.equal(expected);
    expect(errors[0]!.detail.message).to.equal(expected);
  });

  it('follows the page language (fr-CA), and an ancestor\'s', async () => {
    openStub = stubWindowOpen();
    document.documentElement.lang = 'fr-CA';
    const el = await bcButton(html`<careconnect-button location-province="AB"></careconnect-button>`);
    el.viewers = { 'ab-netcare': ENABLED['bc-careconnect'] };
    await el.updateComplete;
    shadowButton(el)!.click();
    await el.updateComplete;
    expect(statusText(el)).to.equal("Un numéro d'assurance maladie de l'Alberta est requis pour accéder à Alberta Netcare Portal.");
    const wrapper = await fixture(html`<div lang="en"><careconnect-button location-province="BC"></careconnect-button></div>`);
    const inner = wrapper.querySelector('careconnect-button')!;
    inner.viewers = ENABLED;
    inner.tokenProvider = async () => 'token';
    await inner.updateComplete;
    shadowButton(inner)!.click();
    await inner.updateComplete;
    expect(statusText(inner)).to.equal('A British Columbia health number is required to access CareConnect.');
  });

  it('translates the retry button and the wrong-patient warnings', async () => {
    await loadFrench();
    expect(message('retry', VIEWERS['bc-careconnect'], 'fr')).to.equal('Réessayer');
    expect(message('stale', VIEWERS['bc-careconnect'], 'fr')).to.equal('CareConnect affiche un autre patient — cliquez pour mettre à jour.');
    expect(message('stale-pending', VIEWERS['bc-careconnect'], 'fr')).to.equal("CareConnect affiche un autre patient jusqu'à ce que vous acceptiez celui\u2011ci.");
    expect(message('stale-still', VIEWERS['bc-careconnect'], 'fr')).to.equal('CareConnect affiche toujours un autre patient.');
  });
});

describe('the compact variant', () => {
  it('shows only the icon, and keeps the viewer name as the accessible name and tooltip', async () => {
    const el = await bcButton(html`<careconnect-button compact location-province="BC"></careconnect-button>`);
    const button = shadowButton(el)!;
    const label = el.shadowRoot!.querySelector<HTMLElement>('[part~="label"]')!;
    expect(label.textContent).to.equal('BC CareConnect');
    expect(label.getBoundingClientRect().width).to.be.at.most(1);
    expect(button.getBoundingClientRect().width).to.be.below(48);
    expect(button.title).to.equal('BC CareConnect');
    expect(el.shadowRoot!.querySelector('[part~="icon"]')!.getAttribute('aria-hidden')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('is wider, with its label, when not compact', async () => {
    const el = await bcButton();
    expect(shadowButton(el)!.getBoundingClientRect().width).to.be.above(100);
    expect(shadowButton(el)!.title).to.equal('');
  });
});

describe('theming', () => {
  it('takes --careconnect-button-* custom properties from the page', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div style="--careconnect-button-background: rgb(10, 20, 30); --careconnect-button-color: rgb(250, 240, 230)">
      <careconnect-button location-province="BC"></careconnect-button></div>`);
    const el = wrapper.querySelector('careconnect-button')!;
    await el.updateComplete;
    const style = getComputedStyle(shadowButton(el)!);
    expect(style.backgroundColor).to.equal('rgb(10, 20, 30)');
    expect(style.color).to.equal('rgb(250, 240, 230)');
  });

  it('exposes the parts base, icon, label and status', async () => {
    const el = await bcButton();
    const parts = [...el.shadowRoot!.querySelectorAll('[part]')].map((node) => node.getAttribute('part'));
    expect(parts).to.include.members(['base', 'icon', 'label', 'status']);
  });
});

describe('accessibility in every state', () => {
  it('is a real, focusable <button>, with a visible focus ring', async () => {
    const el = await bcButton();
    const button = shadowButton(el)!;
    expect(button.localName).to.equal('button');
    button.focus();
    expect(el.shadowRoot!.activeElement).to.equal(button);
  });

  it('idle', async () => {
    await expect(await bcButton()).to.be.accessible();
  });

  it('opening: aria-busy', async () => {
    openStub = stubWindowOpen();
    const el = await bcButton();
    el.healthNumber = VALID_PHN;
    await el.updateComplete;
    shadowButton(el)!.click();
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('opening');
    expect(shadowButton(el)!.getAttribute('aria-busy')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('error, with the message in the polite live region', async () => {
    openStub = stubWindowOpen();
    const el = await bcButton();
    shadowButton(el)!.click();
    await el.updateComplete;
    const region = el.shadowRoot!.querySelector('[role="status"]')!;
    expect(region.textContent).to.contain('health number is required');
    expect(getComputedStyle(region).display).not.to.equal('none');
    await expect(el).to.be.accessible();
  });

  it('popup blocked: the retry button is next in the tab order', async () => {
    openStub = stubWindowOpen('blocked');
    const el = await bcButton();
    el.healthNumber = VALID_PHN;
    await el.updateComplete;
    shadowButton(el)!.click();
    await el.updateComplete;
    const focusable = [...el.shadowRoot!.querySelectorAll<HTMLElement>('button')].filter((b) => b.tabIndex >= 0);
    expect(focusable.map((b) => b.getAttribute('part'))).to.deep.equal(['base', 'retry']);
    await expect(el).to.be.accessible();
  });
  // The stale, waiting, matching and showing states need a real viewer: launch-protocol.test.ts
  // runs the same axe check in them.
});

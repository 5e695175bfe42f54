// The demo EMR chart: wires chart state into <careconnect-button> and logs every event it fires.
import '../src/index.js';
import type { CareConnectButton, TokenRequest } from '../src/index.js';
import { validateHealthNumber } from '../src/core/health-number.js';
import { DEMO_TOKEN_PATH, counterpartOrigin } from '../src/mock-viewer/demo-emr.js';
import { SYNTHETIC_PATIENTS, type SyntheticPatient } from '../src/mock-viewer/patients.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const launchButton = byId<CareConnectButton>('launch');
const controls = {
  location: byId<HTMLSelectElement>('location'),
  account: byId<HTMLSelectElement>('account'),
  role: byId<HTMLSelectElement>('role'),
  network: byId<HTMLSelectElement>('network'),
  scenario: byId<HTMLSelectElement>('scenario'),
  language: byId<HTMLSelectElement>('language'),
  compact: byId<HTMLInputElement>('compact'),
  blockPopup: byId<HTMLInputElement>('block-popup'),
  tokenFails: byId<HTMLInputElement>('token-fails'),
  cancelLaunch: byId<HTMLInputElement>('cancel-launch'),
};

// The viewer runs on the other loopback name, so the launch really crosses origins.
const viewerOrigin = counterpartOrigin(location);
byId('viewer-origin').textContent = viewerOrigin;

function configureViewers() {
  const scenario = controls.scenario.value;
  // ?idpHoldMs= on this page shortens idp-slow's 90 s hold (the e2e tests use a few seconds).
  const hold = Number(new URLSearchParams(location.search).get('idpHoldMs'));
  const url = (viewer: string) => `${viewerOrigin}/demo/viewer.html?viewer=${viewer}&scenario=${scenario}${hold > 0 ? `&idpHoldMs=${hold}` : ''}`;
  launchButton.viewers = {
    'bc-careconnect': { launchUrl: url('bc-careconnect'), transport: 'post-message' },
    'ab-netcare': { launchUrl: url('ab-netcare'), transport: 'post-message' },
    'on-connecting-ontario': { launchUrl: url('on-connecting-ontario'), transport: 'post-message' },
    'qc-dsq': { launchUrl: url('qc-dsq'), transport: 'post-message' },
  };
}

// The EMR's back end mints the token (npm start serves DEMO_TOKEN_PATH); the request goes in a POST body.
launchButton.tokenProvider = async (request: TokenRequest) => {
  if (controls.tokenFails.checked) {
    // After a round trip's time, as a real service that is down answers.
    await new Promise((resolve) => setTimeout(resolve, 500));
    throw new Error('token service answered 503 (the demo\'s "token service fails" switch)');
  }
  const response = await fetch(DEMO_TOKEN_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (!response.ok) throw new Error(`token service answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
};

function showPatient(patient: SyntheticPatient) {
  byId('patient-name').textContent = `${patient.familyName}, ${patient.givenName}`;
  const number = patient.healthNumber;
  const checked = number && validateHealthNumber(number.province, number.value);
  const shown = checked && checked.valid ? checked.display : number?.value ?? 'none on file';
  byId('patient-facts').textContent =
    `Born ${patient.birthDate} · ${patient.gender} · ${number ? `${number.province} health number ${shown}` : 'no health number on file'}`;
  Object.assign(launchButton, {
    patientId: patient.id,
    healthNumber: number?.value ?? null,
    healthNumberProvince: number?.province ?? null,
    givenName: patient.givenName,
    familyName: patient.familyName,
    birthDate: patient.birthDate,
    gender: patient.gender,
  });
  for (const item of document.querySelectorAll<HTMLButtonElement>('#patients button')) {
    item.setAttribute('aria-current', String(item.dataset.id === patient.id));
  }
}

function applySettings() {
  Object.assign(launchButton, {
    locationProvince: controls.location.value || null,
    accountProvince: controls.account.value,
    userRole: controls.role.value,
    network: controls.network.value,
    compact: controls.compact.checked,
  });
  // The element picks its language from the nearest lang attribute; it is not a property it watches.
  launchButton.lang = controls.language.value;
  launchButton.requestUpdate();
  // Where no viewer is offered the element renders nothing: the hint about its window would mislead.
  const offered = launchButton.viewer !== null;
  byId('viewer-hint').hidden = !offered;
  byId('no-viewer').hidden = offered;
}

function renderPatientList() {
  const list = byId('patients');
  for (const patient of SYNTHETIC_PATIENTS) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.id = patient.id;
    button.textContent = `${patient.familyName}, ${patient.givenName}`;
    const scenario = document.createElement('small');
    scenario.textContent = patient.scenario;
    button.append(scenario);
    button.addEventListener('click', () => showPatient(patient));
    item.append(button);
    list.append(item);
  }
}

type Tone = '' | 'error' | 'cancelled' | 'note';
function log(text: string, tone: Tone = '') {
  const entry = document.createElement('li');
  const time = new Date().toLocaleTimeString();
  const write = (words: string, as: Tone) => {
    entry.className = as;
    entry.textContent = `${time} ${words}`;
  };
  write(text, tone);
  byId('log').prepend(entry);
  return write;
}

// "Cancel the next launch": the host's veto, as an EMR would use it (say, to confirm the patient first).
launchButton.addEventListener('careconnect-launch', (event) => {
  if (!controls.cancelLaunch.checked) return;
  controls.cancelLaunch.checked = false;
  event.preventDefault();
});

const EVENTS = ['launch', 'ready', 'match', 'accept', 'reject', 'close', 'error'].map((name) => `careconnect-${name}`);
for (const type of EVENTS) {
  launchButton.addEventListener(type, (event) => {
    const detail = JSON.stringify((event as CustomEvent).detail);
    const rewrite = log(`${type} ${detail}`, type === 'careconnect-error' ? 'error' : '');
    // Read once the dispatch is over, so that a listener after this one can still cancel it.
    if (type === 'careconnect-launch') {
      queueMicrotask(() => event.defaultPrevented && rewrite(`${type} cancelled by the EMR (preventDefault): no window opened ${detail}`, 'cancelled'));
    }
  });
}

// "Block the next popup": window.open answers null once, as a browser's popup blocker does.
const realOpen = window.open;
controls.blockPopup.addEventListener('change', () => {
  if (!controls.blockPopup.checked) return void (window.open = realOpen);
  window.open = () => {
    window.open = realOpen;
    controls.blockPopup.checked = false;
    log('demo: window.open was blocked (returned null), as a popup blocker does', 'note');
    return null;
  };
});

new MutationObserver(() => (byId('state').textContent = launchButton.getAttribute('state') ?? ''))
  .observe(launchButton, { attributes: true, attributeFilter: ['state'] });

for (const control of [controls.location, controls.account, controls.role, controls.network, controls.language, controls.compact]) {
  control.addEventListener('change', applySettings);
}
controls.scenario.addEventListener('change', () => {
  // A scenario is the viewer's back end: it takes effect in a fresh viewer window.
  launchButton.closeViewer();
  configureViewers();
});
byId('viewer-logout').addEventListener('click', () => launchButton.logout());
byId('viewer-close').addEventListener('click', () => launchButton.closeViewer());
byId('clear-log').addEventListener('click', () => byId('log').replaceChildren());

renderPatientList();
configureViewers();
applySettings();
showPatient(SYNTHETIC_PATIENTS[0]!);

// The demo EMR chart: wires chart state into <careconnect-button> and logs every event it fires.
import '../src/index.js';
import type { CareConnectButton } from '../src/index.js';
import { validateHealthNumber } from '../src/core/health-number.js';
import { SYNTHETIC_PATIENTS, type SyntheticPatient } from '../src/mock-viewer/patients.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const launchButton = byId<CareConnectButton>('launch');
const controls = {
  location: byId<HTMLSelectElement>('location'),
  account: byId<HTMLSelectElement>('account'),
  role: byId<HTMLSelectElement>('role'),
  network: byId<HTMLSelectElement>('network'),
};

// The viewer runs on the other loopback name, so the launch really crosses origins.
const viewerHost = location.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
const viewerOrigin = `${location.protocol}//${viewerHost}:${location.port}`;
byId('viewer-origin').textContent = viewerOrigin;
launchButton.viewers = {
  'bc-careconnect': { launchUrl: `${viewerOrigin}/demo/viewer.html`, transport: 'post-message' },
  'ab-netcare': { launchUrl: `${viewerOrigin}/demo/viewer.html`, transport: 'post-message' },
};

let current: SyntheticPatient = SYNTHETIC_PATIENTS[0]!;

function showPatient(patient: SyntheticPatient) {
  current = patient;
  byId('patient-name').textContent = `${patient.familyName}, ${patient.givenName}`;
  const number = patient.healthNumber;
  const checked = number && validateHealthNumber(number.province, number.value);
  const shown = checked && checked.valid ? checked.display : number?.value ?? 'none on file';
  byId('patient-facts').textContent =
    `Born ${patient.birthDate} · ${patient.gender} · ${number?.province ?? ''} health number: ${shown}`;
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
  });
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

const EVENTS = ['launch', 'ready', 'match', 'accept', 'reject', 'close', 'error'].map((name) => `careconnect-${name}`);
for (const type of EVENTS) {
  launchButton.addEventListener(type, (event) => {
    const entry = document.createElement('li');
    entry.className = type === 'careconnect-error' ? 'error' : '';
    const time = new Date().toLocaleTimeString();
    entry.textContent = `${time} ${type} ${JSON.stringify((event as CustomEvent).detail)}`;
    byId('log').prepend(entry);
  });
}

for (const select of Object.values(controls)) select.addEventListener('change', applySettings);
renderPatientList();
applySettings();
showPatient(current);

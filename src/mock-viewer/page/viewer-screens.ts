// The mock viewer's screens: what each one carries, and how each is drawn. The flow that moves
// from one to the next is <mock-viewer-app> (viewer-app.ts); nothing here fetches or waits.
import { html, nothing, type TemplateResult } from 'lit';
import { validateHealthNumber } from '../../core/health-number.js';
import type { LaunchContext } from '../../core/launch-context.js';
import { ownProperties } from '../../core/own-properties.js';
import type { ViewerDescriptor } from '../../core/viewers.js';
import { LOST_LINK_NOTICE } from '../../viewer/viewer-link.js';
import type { SignedInUser } from '../sign-in.js';
import type { Demographics } from '../patients.js';
import type { ClinicalDocument, Dispense, Encounter, ImagingReport, LabResult } from '../records.js';
import { sameName } from '../registry-match.js';

export type Section = 'encounters' | 'labs' | 'imaging' | 'documents' | 'medications' | 'immunizations';

export interface RegistryPatient extends Demographics {
  phn: string;
}

export interface RecordData {
  encounters: Encounter[];
  labs: LabResult[];
  imaging: ImagingReport[];
  documents: ClinicalDocument[];
}

/** A launch the viewer took: its protocol request (none for a form POST) and its verified context. */
export interface Launch {
  requestId: string | null;
  ctx: LaunchContext;
}

export type PharmaNetSearch = 'not-searched' | 'searching' | Dispense[] | { failed: string };

export interface RecordScreen {
  kind: 'record';
  launch: Launch;
  patient: RegistryPatient;
  record: RecordData | 'loading';
  section: Section;
  pharmanet: PharmaNetSearch;
}

/** Each screen carries what it shows. */
export type Screen =
  | { kind: 'starting' | 'unavailable' | 'no-answer' | 'waiting' | 'verifying' | 'signing-in' | 'no-match' | 'rejected' | 'signed-out' | 'lost-link' | 'form-lost' }
  | { kind: 'token-refused' | 'auth-error'; detail: string }
  | { kind: 'sign-in'; launch: Launch }
  | { kind: 'pairing'; launch: Launch; code: string }
  | { kind: 'ha-login'; launch: Launch; warning: string }
  | { kind: 'searching'; stillWaiting: boolean }
  | { kind: 'match'; launch: Launch; patient: RegistryPatient }
  | RecordScreen
  /** A request got no usable answer: what failed, and how to try it again. */
  | { kind: 'failed'; title: string; detail: string; retry: () => void };

/** What the screens' buttons do: the flow's side. */
export interface ScreenActions {
  chooseCardApp(): void;
  chooseAccount(): void;
  approveInApp(): void;
  submitAccount(event: SubmitEvent): void;
  accept(): void;
  reject(): void;
  showSection(section: Section): void;
  searchPharmaNet(): void;
}

/** What drawing a screen needs beside the screen itself. */
export interface ScreenView {
  viewer: ViewerDescriptor;
  user: SignedInUser | null;
  emrOrigins: readonly string[];
  actions: ScreenActions;
}

// The tables below have no prototype: a key they lack is never found on a polluted Object.prototype.
const SECTION_LABELS = {
  __proto__: null,
  encounters: 'Encounters',
  labs: 'Lab Results',
  imaging: 'Diagnostic Imaging',
  documents: 'Clinical Documents',
  medications: 'Medications',
  immunizations: 'Immunizations',
} as Record<Section, string>;

const GENDER_LABELS = ownProperties({ female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' }) as { [gender: string]: string | undefined };

/** The number as its province writes it: 9386 339 244 in BC, 12345-6782 in Alberta. */
function formatNumber(province: string, value: string): string {
  const result = validateHealthNumber(province, value);
  return result.valid ? result.display : value;
}

/** CareConnect has the PPN, the BC Services Card app and PharmaNet; the other mocks do not. */
const isCareConnect = (viewer: ViewerDescriptor) => viewer.id === 'bc-careconnect';

export function renderScreen(screen: Screen, view: ScreenView): TemplateResult {
  const { viewer, actions } = view;
  switch (screen.kind) {
    case 'starting':
      return notice('Starting…', '');
    case 'unavailable':
      return notice('CareConnect is unavailable', 'The service is down for maintenance. Try again later.', 'error');
    case 'no-answer':
      return notice(`No answer from ${viewer.shortName}`,
        `Nothing answered this page, as when the viewer is down (the viewer-down scenario). So it says nothing to your EMR, not even that it is ready: the EMR's button reports that ${viewer.shortName} did not respond once its timeout (20 s by default) runs out.`);
    case 'waiting':
      return notice('Waiting for a patient',
        `Click the CareConnect button in a patient chart in your EMR. This viewer accepts launches from ${view.emrOrigins.join(' or ')} only.`);
    case 'verifying':
      return notice('Checking the launch…', '', 'progress');
    case 'token-refused':
      return notice('This launch was refused', screen.detail, 'error');
    case 'signing-in':
      return notice('Signing you in…', '', 'progress');
    case 'auth-error':
      return notice('Authentication error', screen.detail, 'error');
    case 'searching':
      return notice(
        'Searching the client registry…',
        screen.stillWaiting ? 'Still searching: the registry is slow to answer. Please keep this window open.' : '',
        'progress',
      );
    case 'no-match':
      return notice('No matching patient', 'The client registry has no patient with this health number.', 'error');
    case 'rejected':
      return notice('Match rejected', 'No record was opened. Check the patient in your EMR, then launch again.');
    case 'signed-out':
      return notice('You are signed out', 'Launch CareConnect from your EMR to sign in again.');
    case 'form-lost':
      return notice('No patient was posted', 'The launch has expired or never came. Click the CareConnect button in your EMR again.', 'error');
    case 'lost-link':
      return notice('Not linked to your EMR', LOST_LINK_NOTICE, 'error');
    case 'failed':
      return html`
        <section class="card notice error" role="alert">
          <h1>${screen.title}</h1>
          <p>${screen.detail}</p>
          <div class="choices"><button class="primary" type="button" @click=${screen.retry}>Retry</button></div>
        </section>`;
    case 'sign-in':
      return signInChoice(screen.launch, view);
    case 'pairing':
      return html`
        <section class="card" aria-labelledby="pairing-title">
          <h1 id="pairing-title">BC Services Card app</h1>
          <p>Open the BC Services Card app on your phone and enter this pairing code:</p>
          <p class="code" aria-label="Pairing code">${screen.code}</p>
          <button class="primary" type="button" @click=${actions.approveInApp}>Simulate approval in the app</button>
          <p class="hint">No BC Services Card app yet? <a href="https://www2.gov.bc.ca/gov/content/governments/government-id/bcservicescardapp" target="_blank" rel="noopener">Get set up</a>.</p>
        </section>`;
    case 'ha-login':
      return html`
        <section class="card" aria-labelledby="ha-title">
          <h1 id="ha-title">Health Authority account</h1>
          ${screen.warning ? html`<p class="warn" role="alert">${screen.warning} Try again.</p>` : nothing}
          <form @submit=${actions.submitAccount}>
            <label>Username <input name="username" autocomplete="username" required /></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
            <button class="primary" type="submit">Sign in</button>
          </form>
          <p class="hint">Demo accounts: <code>drlee</code> or <code>moa.kim</code>, password <code>careconnect</code>.</p>
        </section>`;
    case 'match':
      return match(screen.launch, screen.patient, actions);
    case 'record':
      return recordView(screen, view);
  }
}

function notice(title: string, text: string, tone: 'info' | 'progress' | 'error' = 'info'): TemplateResult {
  return html`
    <section class="card notice ${tone}" role=${tone === 'error' ? 'alert' : 'status'}>
      <h1>${title}</h1>
      ${text ? html`<p>${text}</p>` : nothing}
    </section>`;
}

function signInChoice(launch: Launch, { viewer, actions }: ScreenView): TemplateResult {
  const inside = launch.ctx.network === 'ppn';
  if (!isCareConnect(viewer)) {
    return html`
      <section class="card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to ${viewer.shortName}</h1>
        <p>This mock stands in for ${viewer.name}'s own sign-in.</p>
        <div class="choices"><button class="primary" type="button" @click=${actions.approveInApp}>Sign in (mock)</button></div>
      </section>`;
  }
  return html`
    <section class="card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to ${viewer.shortName}</h1>
      <p>${inside
        ? 'You are inside the Private Physician Network. Choose how to sign in.'
        : 'You are connecting from the internet: only the BC Services Card app is available.'}</p>
      <div class="choices">
        <button class="primary" type="button" @click=${actions.chooseCardApp}>BC Services Card app</button>
        ${inside ? html`<button type="button" @click=${actions.chooseAccount}>Health Authority account</button>` : nothing}
      </div>
    </section>`;
}

function match({ ctx }: Launch, patient: RegistryPatient, actions: ScreenActions): TemplateResult {
  const sent = ctx.patient;
  const province = ctx.healthNumber.province;
  const emrName = [sent.givenName, sent.familyName].filter(Boolean).join(' ') || '—';
  // Names compare as a registry compares them (MAPLE and Maple agree); the rest exactly.
  const namesAgree = sameName(sent.givenName ?? '', patient.givenName) && sameName(sent.familyName ?? '', patient.familyName);
  const row = (label: string, emr: string, registry: string, differs = emr !== registry) => ({ label, emr, registry, differs });
  const rows = [
    row('Name', emrName, `${patient.givenName} ${patient.familyName}`, !namesAgree),
    row('Date of birth', sent.birthDate ?? '—', patient.birthDate),
    row('Gender', GENDER_LABELS[sent.gender ?? ''] ?? '—', GENDER_LABELS[patient.gender] ?? '—'),
    row('Health number', formatNumber(province, ctx.healthNumber.value), formatNumber(province, patient.phn)),
  ];
  const differences = rows.filter(({ differs }) => differs).length;
  return html`
    <section class="card" aria-labelledby="match-title">
      <h1 id="match-title">Review the matching patient</h1>
      <p>${differences
        ? html`<strong class="warn">${differences === 1 ? '1 detail differs' : `${differences} details differ`}</strong> between your EMR and the registry. Check before you accept.`
        : 'Your EMR and the client registry agree.'}</p>
      <table class="match">
        <thead><tr><th scope="col">Detail</th><th scope="col">Your EMR</th><th scope="col">Client registry</th></tr></thead>
        <tbody>
          ${rows.map(({ label, emr, registry, differs }) => html`<tr class=${differs ? 'differs' : ''}>
              <th scope="row">${label}</th><td>${emr}</td>
              <td>${registry}${differs ? html` <span class="badge">Differs</span>` : nothing}</td>
            </tr>`)}
        </tbody>
      </table>
      <div class="choices">
        <button class="primary" type="button" @click=${actions.accept}>Accept</button>
        <button type="button" @click=${actions.reject}>Reject</button>
      </div>
    </section>`;
}

function recordView(screen: RecordScreen, view: ScreenView): TemplateResult {
  const { patient, record, section: current } = screen;
  const province = screen.launch.ctx.healthNumber.province;
  const sections = Object.keys(SECTION_LABELS) as Section[];
  const count = (section: Section) => {
    const items = record === 'loading' ? undefined : (record as Partial<Record<Section, unknown[]>>)[section];
    return items ? html` <span class="count">${items.length}</span>` : nothing;
  };
  return html`
    <section class="record" aria-labelledby="patient-title">
      <div class="patient-banner">
        <h1 id="patient-title">${patient.familyName}, ${patient.givenName}</h1>
        <span>${province === 'BC' ? 'PHN' : 'Health number'} ${formatNumber(province, patient.phn)} · Born ${patient.birthDate} · ${GENDER_LABELS[patient.gender]}</span>
      </div>
      <div class="record-body">
        <nav aria-label="Record sections">
          <ul>
            ${sections.map((section) => html`<li><button type="button" class="nav"
              aria-current=${current === section ? 'page' : 'false'}
              @click=${() => view.actions.showSection(section)}>${SECTION_LABELS[section]}${count(section)}</button></li>`)}
          </ul>
        </nav>
        <div class="section" role="region" aria-label=${SECTION_LABELS[current]}>
          <h2>${SECTION_LABELS[current]}</h2>
          ${sectionContent(screen, view)}
        </div>
      </div>
    </section>`;
}

function sectionContent({ section, record, pharmanet }: RecordScreen, view: ScreenView): TemplateResult {
  if (section === 'immunizations') return html`<p class="soon">Coming soon.</p>`;
  if (section === 'medications') return medications(pharmanet, view);
  if (record === 'loading') return html`<p role="status">Loading…</p>`;
  const table = (headers: string[], rows: string[][]) => rows.length
    ? html`<table><thead><tr>${headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
        <tbody>${rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody></table>`
    : html`<p class="empty">Nothing on record.</p>`;
  switch (section) {
    case 'encounters':
      return table(['Date', 'Type', 'Facility', 'Reason'], record.encounters.map((e) => [e.date, e.type, e.facility, e.reason]));
    case 'labs':
      return table(['Date', 'Test', 'Result', 'Reference range', 'Flag'],
        record.labs.map((l) => [l.date, l.test, `${l.value} ${l.unit}`, l.range, l.flag === 'H' ? 'High' : l.flag === 'L' ? 'Low' : '']));
    case 'imaging':
      return table(['Date', 'Modality', 'Study', 'Facility', 'Impression'], record.imaging.map((i) => [i.date, i.modality, i.study, i.facility, i.impression]));
    case 'documents':
      return table(['Date', 'Document', 'Facility', 'Author'], record.documents.map((d) => [d.date, d.type, d.facility, d.author]));
  }
}

function medications(search: PharmaNetSearch, { viewer, user, actions }: ScreenView): TemplateResult {
  if (!isCareConnect(viewer)) return html`<p class="empty">Medication history is not part of this mock viewer.</p>`;
  if (!user?.pharmanet) {
    return html`<p class="empty">PharmaNet is not set up for your account. Ask your clinic to request PharmaNet access.</p>`;
  }
  return html`
    <p>PharmaNet shows the drugs dispensed by B.C. community pharmacies in the last 14 months.</p>
    <button class="primary" type="button" @click=${actions.searchPharmaNet} ?disabled=${search === 'searching'}>Search PharmaNet</button>
    ${search === 'searching' ? html`<p role="status">Searching PharmaNet…</p>` : nothing}
    ${typeof search === 'object' && 'failed' in search
      ? html`<div role="alert"><p class="warn">PharmaNet could not be searched. ${search.failed}</p>
          <button type="button" @click=${actions.searchPharmaNet}>Retry</button></div>`
      : nothing}
    ${Array.isArray(search)
      ? search.length
        ? html`<table><caption>${search.length} dispenses in the last 14 months</caption>
            <thead><tr><th scope="col">Date</th><th scope="col">Drug</th><th scope="col">Strength</th><th scope="col">Quantity</th><th scope="col">Days</th><th scope="col">Pharmacy</th></tr></thead>
            <tbody>${search.map((d) => html`<tr><td>${d.date}</td><td>${d.drug}</td><td>${d.strength}</td><td>${d.quantity}</td><td>${d.daysSupply}</td><td>${d.pharmacy}</td></tr>`)}</tbody></table>`
        : html`<p class="empty">No drugs dispensed in the last 14 months.</p>`
      : nothing}`;
}

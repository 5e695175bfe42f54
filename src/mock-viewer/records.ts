// Deterministic synthetic record sections for the mock viewer: the same PHN always gives the same
// record, so QA can describe what they saw and tests can assert on it.
import type { RegistryEntry } from './patients.js';

export type RecordSection = 'encounters' | 'labs' | 'imaging' | 'documents';

export interface Encounter { date: string; type: string; facility: string; reason: string }
export interface LabResult { date: string; test: string; value: string; unit: string; range: string; flag: '' | 'H' | 'L' }
export interface ImagingReport { date: string; modality: string; study: string; facility: string; impression: string }
export interface ClinicalDocument { date: string; type: string; facility: string; author: string }
export interface Dispense { date: string; drug: string; strength: string; quantity: number; daysSupply: number; pharmacy: string }

export interface PatientRecord {
  encounters: Encounter[];
  labs: LabResult[];
  imaging: ImagingReport[];
  documents: ClinicalDocument[];
  /** PharmaNet dispenses, newest first, up to 20 months back: the viewer shows the last 14. */
  dispenses: Dispense[];
}

/** mulberry32: a tiny seeded PRNG, so records are stable across reloads and machines. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Real hospital names of the number's province, so a QA tester never sees a Vancouver visit in an Ontario
 * chart. No prototype: a province with no list of its own gets BC's, never a polluted prototype's.
 */
const FACILITIES = {
  __proto__: null,
  BC: ['Vancouver General Hospital', "St. Paul's Hospital", 'Royal Jubilee Hospital', 'Kelowna General Hospital', 'Surrey Memorial Hospital', 'Royal Inland Hospital'],
  AB: ['Foothills Medical Centre', 'University of Alberta Hospital', 'Royal Alexandra Hospital', 'Red Deer Regional Hospital'],
  ON: ['Toronto General Hospital', 'The Ottawa Hospital', 'Hamilton General Hospital', 'Kingston General Hospital', 'Sunnybrook Health Sciences Centre'],
  QC: ['Hôpital Maisonneuve-Rosemont', 'Hôpital général juif', 'CHU de Québec – Hôtel-Dieu', 'Hôpital de Chicoutimi', 'CHU Sainte-Justine'],
} as Partial<Record<RegistryEntry['province'], string[]>> & { BC: string[] };
const ENCOUNTER_TYPES = ['Emergency', 'Inpatient', 'Outpatient', 'Day surgery'];
const REASONS = ['Chest pain', 'Fall, wrist injury', 'Pneumonia', 'Abdominal pain', 'Laceration repair', 'Cataract surgery', 'Asthma exacerbation', 'Follow-up clinic'];
const LAB_TESTS: Array<[string, string, number, number, number]> = [
  // test, unit, low, high, decimals
  ['Hemoglobin', 'g/L', 120, 160, 0],
  ['Creatinine', 'µmol/L', 50, 110, 0],
  ['Potassium', 'mmol/L', 3.5, 5.0, 1],
  ['Sodium', 'mmol/L', 135, 145, 0],
  ['HbA1c', '%', 4.0, 6.0, 1],
  ['TSH', 'mIU/L', 0.4, 4.0, 2],
  ['LDL cholesterol', 'mmol/L', 1.0, 3.4, 1],
  ['ALT', 'U/L', 5, 40, 0],
];
const IMAGING: Array<[string, string]> = [
  ['X-ray', 'Chest PA and lateral'], ['CT', 'Head without contrast'], ['Ultrasound', 'Abdomen complete'],
  ['MRI', 'Lumbar spine'], ['X-ray', 'Left wrist'], ['Mammography', 'Bilateral screening'],
];
const IMPRESSIONS = ['No acute findings.', 'Mild degenerative change.', 'Findings stable compared with prior.', 'Small nodule; follow-up suggested.'];
const DOCUMENT_TYPES = ['Discharge summary', 'Consultation', 'Operative report', 'History and physical', 'Transfer summary'];
const AUTHORS = ['Dr. A. Synthetic', 'Dr. B. Placeholder', 'Dr. C. Example', 'Dr. D. Mockwell'];
const DRUGS: Array<[string, string]> = [
  ['Metformin', '500 mg tablet'], ['Atorvastatin', '20 mg tablet'], ['Ramipril', '5 mg capsule'], ['Salbutamol', '100 mcg inhaler'],
  ['Levothyroxine', '75 mcg tablet'], ['Amoxicillin', '500 mg capsule'], ['Sertraline', '50 mg tablet'], ['Pantoprazole', '40 mg tablet'],
];
const PHARMACIES = ['Harbour Pharmacy', 'Cedar Street Drugs', 'Mountainview Pharmacy', 'Coastline Apothecary'];

const pick = <T>(next: () => number, items: readonly T[]) => items[Math.floor(next() * items.length)]!;

function daysAgo(today: Date, days: number): string {
  const date = new Date(today);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

const newestFirst = <T extends { date: string }>(items: T[]) => items.sort((a, b) => b.date.localeCompare(a.date));

/** The record for a registry entry, as of `today`. */
export function recordFor(entry: RegistryEntry, today = new Date()): PatientRecord {
  if (entry.record === 'empty') return { encounters: [], labs: [], imaging: [], documents: [], dispenses: [] };
  // Digits only: an Ontario version code or a Quebec NAM's letters would make every seed NaN, every record alike.
  const next = random(Number(entry.phn.replace(/\D/g, '').slice(1)));
  const facilities = FACILITIES[entry.province] ?? FACILITIES.BC;
  const count = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));
  const when = (maxDays: number) => daysAgo(today, Math.floor(next() * maxDays));
  const encounters = Array.from({ length: count(2, 6) }, () => ({
    date: when(1500), type: pick(next, ENCOUNTER_TYPES), facility: pick(next, facilities), reason: pick(next, REASONS),
  }));
  const labs = Array.from({ length: entry.record === 'large' ? 320 : count(6, 18) }, () => {
    const [test, unit, low, high, decimals] = pick(next, LAB_TESTS);
    const value = low + (high - low) * (next() * 1.4 - 0.2);
    const flag = value > high ? 'H' : value < low ? 'L' : '';
    return { date: when(1800), test, value: value.toFixed(decimals), unit, range: `${low}–${high}`, flag } as LabResult;
  });
  const imaging = Array.from({ length: count(1, 4) }, () => {
    const [modality, study] = pick(next, IMAGING);
    return { date: when(2000), modality, study, facility: pick(next, facilities), impression: pick(next, IMPRESSIONS) };
  });
  const documents = Array.from({ length: count(1, 5) }, () => ({
    date: when(2000), type: pick(next, DOCUMENT_TYPES), facility: pick(next, facilities), author: pick(next, AUTHORS),
  }));
  const dispenses = Array.from({ length: count(8, 24) }, () => {
    const [drug, strength] = pick(next, DRUGS);
    const daysSupply = pick(next, [30, 60, 90]);
    return { date: when(600), drug, strength, quantity: daysSupply, daysSupply, pharmacy: pick(next, PHARMACIES) };
  });
  return {
    encounters: newestFirst(encounters),
    labs: newestFirst(labs),
    imaging: newestFirst(imaging),
    documents: newestFirst(documents),
    dispenses: newestFirst(dispenses),
  };
}

/** PharmaNet shows dispenses of the last 14 months. */
export function lastFourteenMonths(dispenses: Dispense[], today = new Date()): Dispense[] {
  const cutoff = new Date(today);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - 14);
  const from = cutoff.toISOString().slice(0, 10);
  return dispenses.filter((dispense) => dispense.date >= from);
}

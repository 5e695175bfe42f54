// Synthetic patients for the demo EMR and the mock viewer's registry. Nobody real: the names are
// invented, and the numbers were generated to pass their province's rule (none is a published test number).
import type { Gender } from '../core/launch-context.js';

export interface Demographics {
  givenName: string;
  familyName: string;
  birthDate: string;
  gender: Gender;
}

export interface SyntheticPatient extends Demographics {
  /** The demo EMR's chart id. */
  id: string;
  healthNumber: { province: 'BC' | 'AB' | 'ON' | 'QC'; value: string } | null;
  /** Why QA would pick this patient. */
  scenario: string;
  /**
   * What the provincial registry holds for this PHN, where it differs from the EMR chart;
   * `absent` when the registry has no such PHN.
   */
  registry?: Partial<Demographics> | 'absent';
  /** The shape of the record the viewer shows. */
  record?: 'typical' | 'empty' | 'large';
}

const bc = (value: string) => ({ province: 'BC' as const, value });
/** Ontario: 10 digits passing the Luhn check, then the card's version code (0-2 letters). */
const on = (value: string) => ({ province: 'ON' as const, value });
/** Quebec NAM: family name's first 3 letters, given name's first, then YYMMDD (month +50 for women) and 2 digits. */
const qc = (value: string) => ({ province: 'QC' as const, value });

export const SYNTHETIC_PATIENTS: readonly SyntheticPatient[] = Object.freeze([
  { id: 'chart-1001', givenName: 'Maple', familyName: 'Sandbox', birthDate: '1958-04-12', gender: 'female', healthNumber: bc('9386339244'), scenario: 'Valid PHN, typical record' },
  { id: 'chart-1002', givenName: 'Cedar', familyName: 'Testwood', birthDate: '1984-11-03', gender: 'male', healthNumber: bc('9056509793'), scenario: 'Valid PHN, typical record' },
  { id: 'chart-1003', givenName: 'Juniper', familyName: 'Mockley', birthDate: '2012-06-30', gender: 'other', healthNumber: bc('9851803396'), scenario: 'Valid PHN, a child' },
  { id: 'chart-1004', givenName: 'Hemlock', familyName: 'Largefile', birthDate: '1949-02-27', gender: 'male', healthNumber: bc('9004366638'), scenario: 'Large record: hundreds of lab results', record: 'large' },
  { id: 'chart-1005', givenName: 'Fern', familyName: 'Emptyfield', birthDate: '1999-08-08', gender: 'female', healthNumber: bc('9700212264'), scenario: 'Empty record: no encounters, labs or drugs', record: 'empty' },
  { id: 'chart-1006', givenName: 'Jon', familyName: 'Quillfeather', birthDate: '1975-03-09', gender: 'male', healthNumber: bc('9480740307'), scenario: 'Demographic mismatch with the registry', registry: { givenName: 'John', birthDate: '1975-09-03' } },
  { id: 'chart-1007', givenName: 'Sorrel', familyName: 'Nomatch', birthDate: '1988-12-01', gender: 'female', healthNumber: bc('9604434722'), scenario: 'Valid PHN that the registry does not know', registry: 'absent' },
  { id: 'chart-1008', givenName: 'Alder', familyName: 'Fakerson', birthDate: '1971-01-19', gender: 'male', healthNumber: bc('9642302270'), scenario: 'PHN with a wrong check digit' },
  { id: 'chart-1009', givenName: 'Willow', familyName: 'Nonumber', birthDate: '1990-09-09', gender: 'female', healthNumber: null, scenario: 'No health number on file' },
  { id: 'chart-1010', givenName: 'Aspen', familyName: 'Prairie', birthDate: '1966-02-14', gender: 'unknown', healthNumber: { province: 'AB', value: '123456782' }, scenario: 'Alberta number only' },
  { id: 'chart-1011', givenName: 'Birch', familyName: 'Harbourview', birthDate: '1953-07-21', gender: 'female', healthNumber: bc('9034024959'), scenario: 'Valid PHN, typical record' },
  { id: 'chart-1012', givenName: 'Spruce', familyName: 'Coastline', birthDate: '1962-10-05', gender: 'male', healthNumber: bc('9275254047'), scenario: 'Valid PHN, typical record' },
  { id: 'chart-1013', givenName: 'Yarrow', familyName: 'Glenbrook', birthDate: '1979-05-17', gender: 'female', healthNumber: bc('9443354725'), scenario: 'Valid PHN, typical record' },
  { id: 'chart-1014', givenName: 'Larch', familyName: 'Rivermouth', birthDate: '1944-11-30', gender: 'male', healthNumber: bc('9374469874'), scenario: 'Valid PHN, an older patient' },
  { id: 'chart-1015', givenName: 'Clover', familyName: 'Ridgeway', birthDate: '1995-03-23', gender: 'female', healthNumber: bc('9550252073'), scenario: 'Valid PHN, empty record', record: 'empty' },
  { id: 'chart-1016', givenName: 'Rowan', familyName: 'Tidewater', birthDate: '1981-08-14', gender: 'other', healthNumber: bc('9832890152'), scenario: 'Valid PHN, typical record' },
  { id: 'chart-1017', givenName: 'Sage', familyName: 'Bramblewood', birthDate: '1970-12-25', gender: 'female', healthNumber: bc('9169981128'), scenario: 'Valid PHN, typical record' },
  { id: 'chart-1018', givenName: 'Thistle', familyName: 'Oakhaven', birthDate: '2004-04-04', gender: 'male', healthNumber: bc('9507867485'), scenario: 'Valid PHN, a young adult' },
  { id: 'chart-1019', givenName: 'Heather', familyName: 'Stonebridge', birthDate: '1957-09-18', gender: 'female', healthNumber: bc('9740927211'), scenario: 'Valid PHN, typical record' },
  { id: 'chart-1020', givenName: 'Basil', familyName: 'Marshlands', birthDate: '1986-06-11', gender: 'male', healthNumber: bc('9033289439'), scenario: 'Valid PHN, typical record' },
  { id: 'chart-1021', givenName: 'Ivy', familyName: 'Cliffside', birthDate: '1992-01-29', gender: 'female', healthNumber: bc('9289442563'), scenario: 'Valid PHN, typical record' },
  { id: 'chart-1022', givenName: 'Poplar', familyName: 'Meadowlark', birthDate: '1968-10-10', gender: 'unknown', healthNumber: bc('9462682602'), scenario: 'Valid PHN, gender unknown' },
  { id: 'chart-2001', givenName: 'Trillium', familyName: 'Mockridge', birthDate: '1972-08-19', gender: 'female', healthNumber: on('2098340652AK'), scenario: 'Ontario health card with a version code' },
  { id: 'chart-2002', givenName: 'Hawthorn', familyName: 'Dummett', birthDate: '1958-01-07', gender: 'male', healthNumber: on('8931750098'), scenario: 'Ontario health card, no version code' },
  { id: 'chart-2003', givenName: 'Tamarack', familyName: 'Wrongsum', birthDate: '1983-03-15', gender: 'male', healthNumber: on('8931750097'), scenario: 'Ontario number failing the Luhn check' },
  { id: 'chart-3001', givenName: 'Rosalie', familyName: 'Bacasable', birthDate: '1961-05-27', gender: 'female', healthNumber: qc('BACR61552718'), scenario: 'Quebec NAM, a woman (birth month + 50)' },
  { id: 'chart-3002', givenName: 'Mathis', familyName: 'Boisdessai', birthDate: '1979-10-03', gender: 'male', healthNumber: qc('BOIM79100314'), scenario: 'Quebec NAM, a man' },
  { id: 'chart-3003', givenName: 'Léa', familyName: 'Maquette', birthDate: '1990-04-05', gender: 'female', healthNumber: qc('MAQL90140512'), scenario: 'Quebec NAM with an impossible birth month' },
] satisfies SyntheticPatient[]);

export interface RegistryEntry extends Demographics {
  phn: string;
  /** The province that issued the number: its record names that province's hospitals. */
  province: 'BC' | 'AB' | 'ON' | 'QC';
  record: 'typical' | 'empty' | 'large';
}

/** The client registry the mock viewer searches, by health number (the Alberta, Ontario and Quebec patients too, for the other mocks). */
export const REGISTRY: ReadonlyMap<string, RegistryEntry> = new Map(
  SYNTHETIC_PATIENTS.flatMap((patient) => {
    const { healthNumber, registry } = patient;
    if (!healthNumber || registry === 'absent') return [];
    const { givenName, familyName, birthDate, gender } = { ...patient, ...registry };
    const entry: RegistryEntry = { phn: healthNumber.value, province: healthNumber.province, givenName, familyName, birthDate, gender, record: patient.record ?? 'typical' };
    return [[healthNumber.value, entry] as const];
  }),
);

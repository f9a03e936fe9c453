// model.js - the biobank's vocabulary (docs/specimens.md) and who may do what
// (src/bank/access.h). The server enforces the rules; the UI only hides what
// a role cannot do.

export const TYPES = [
  ['tissue', ['ffpe_block', 'ffpe_slide', 'fresh_frozen', 'oct']],
  ['blood', ['whole_blood', 'plasma', 'serum', 'buffy_coat', 'pbmc']],
  ['body fluid', ['urine', 'ascites', 'pleural_fluid', 'csf', 'saliva']],
  ['nucleic acid', ['dna', 'rna', 'cfdna']],
];
export const ALL_TYPES = TYPES.flatMap(([, t]) => t);

export const UNITS = ['ml', 'ul', 'l', 'mg', 'g', 'ug', 'ng', 'block', 'slide', 'cells', 'tube'];

export const PATHOLOGIES = ['tumour', 'normal', 'unknown'];

/** Temperature bands before and after centrifugation (SPREC), [code, words]. */
export const TEMP_BANDS = [['RT', 'room temperature (RT)'], ['2-10', '2–10 °C'], ['35-38', '35–38 °C']];

/** What a pathologist may correct on a specimen (the others: every correctable field). */
export const PATHOLOGY_FIELDS = ['pathology', 'tumour_pct', 'anatomic_site'];

/** The pre-analytical record: kept by the primary specimen, corrected there only. */
export const PREANALYTICAL_FIELDS = ['collection', 'vessel', 'warm_ischaemia_min', 'cold_ischaemia_min', 'fixation',
  'fixation_min', 'precentrifugation_min', 'precentrifugation_temp', 'centrifugation', 'second_centrifugation',
  'postcentrifugation_min', 'postcentrifugation_temp'];

export const STATUSES = ['available', 'reserved', 'in_transit', 'distributed', 'depleted', 'destroyed', 'missing'];

/** Where a status may go (docs/specimens.md, Statuses). */
export const NEXT_STATUS = {
  available: ['reserved', 'in_transit', 'distributed', 'depleted', 'destroyed', 'missing'],
  reserved: ['available', 'in_transit', 'distributed', 'destroyed', 'missing'],
  in_transit: ['available', 'missing', 'destroyed'],
  distributed: ['available'],
  missing: ['available', 'destroyed'],
  depleted: [],
  destroyed: [],
};

export const CONSENT_SCOPES = ['storage', 'research', 'genetic', 'sharing', 'recontact'];

export const ROLES = ['administrator', 'biobank_manager', 'technician', 'pathologist', 'researcher', 'auditor'];

export const SEXES = ['female', 'male', 'other', 'unknown'];

export const DERIVED_TYPES = ['dna', 'rna', 'cfdna'];

export const IMPORT_KINDS = ['specimens', 'donors', 'consents', 'diagnoses', 'containers', 'sites'];

export const ROLE_NAMES = {
  administrator: 'administrator',
  biobank_manager: 'biobank manager',
  technician: 'technician',
  pathologist: 'pathologist',
  researcher: 'researcher',
  auditor: 'auditor (read only)',
  study_researcher: 'study researcher',
};

const SPECIMEN_WRITERS = ['administrator', 'biobank_manager', 'technician'];

/** What the logged-in user's role allows, for showing or hiding actions. */
export function can(user, what) {
  const role = user && user.role ? String(user.role).replace(/ /g, '_') : '';
  switch (what) {
    case 'specimen': return SPECIMEN_WRITERS.includes(role);   // aliquot, move, status
    case 'import': return SPECIMEN_WRITERS.includes(role);
    case 'container': return SPECIMEN_WRITERS.includes(role);
    case 'collect': return SPECIMEN_WRITERS.includes(role);      // collect, derive, thaw
    case 'donor': return SPECIMEN_WRITERS.includes(role);        // register, consent, withdraw
    case 'diagnosis': return ['administrator', 'biobank_manager', 'pathologist'].includes(role);
    case 'pathology': return [...SPECIMEN_WRITERS, 'pathologist'].includes(role);   // correct what a pathologist reads
    case 'users': return role === 'administrator';
    case 'site': return role === 'administrator';                // add and correct sites
    case 'study': return ['administrator', 'biobank_manager'].includes(role);   // add and change studies
    case 'network': return role !== 'study_researcher';          // a study researcher reads only their studies
    default: return true;                                       // reading
  }
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Whether a specimen barcode's last character is the ISO/IEC 7064 MOD 37,36
 * check character of the rest (docs/specimens.md, Barcodes): false for a
 * misread or mistyped barcode, or one that is not 4-32 of 0-9A-Z.
 */
export function barcodeChecks(code) {
  if (!/^[0-9A-Z]{4,32}$/.test(code)) return false;
  let p = 36;
  for (const ch of code.slice(0, -1)) {
    let s = (p + ALPHABET.indexOf(ch)) % 36;
    if (s === 0) s = 36;
    p = (s * 2) % 37;
  }
  return ALPHABET[(37 - p) % 36] === code[code.length - 1];
}

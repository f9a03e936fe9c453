// i18n.js - English and Chinese texts for the corrections and field
// histories (js/corrections.js). The language is the one chosen in
// localStorage "oncobank.lang" ("en" or "zh"), else the page's own
// (<html lang>); a text missing in Chinese falls back to English.

const LANG_KEY = 'oncobank.lang';

/** "en" or "zh". */
export function lang() {
  let chosen = null;
  try { chosen = localStorage.getItem(LANG_KEY); } catch { /* storage blocked: the page's language */ }
  const l = String(chosen || document.documentElement.lang || 'en').toLowerCase();
  return l.startsWith('zh') ? 'zh' : 'en';
}

/** Keeps the language for the next pages (the caller re-renders). */
export function setLang(l) {
  try { localStorage.setItem(LANG_KEY, l); } catch { /* not kept: this page only */ }
}

const fill = (s, vars) => s.replace(/\{(\w+)\}/g, (m, k) => (vars && vars[k] !== undefined ? String(vars[k]) : m));

const TEXT = {
  en: {
    correct: 'Correct',
    correctTitle: 'Correct a recorded value',
    correctIntro: 'For a value entered wrongly. The old value, the new one and your reason are kept in the history.',
    correctNone: 'Nothing here can be corrected.',
    field: 'Field',
    choose: 'choose…',
    newValue: 'New value: {field}',
    now: 'Now: {value}',
    clear: 'Clear the value',
    remove: 'Remove',
    removeRow: 'Remove {field} from the correction',
    addField: 'Add another field',
    reason: 'Reason',
    reasonHint: 'Required: why the recorded value was wrong. Kept in the history.',
    save: 'Save correction',
    cancel: 'Cancel',
    needField: 'Choose the field to correct.',
    needValue: 'Give the new value, or tick "Clear the value".',
    needReason: 'Give the reason for the correction: it is kept in the history.',
    twice: '{field} is chosen twice.',
    unchanged: 'The new value is the one recorded: nothing to correct.',
    notNumber: 'A number, like 0.5.',
    notInteger: 'A whole number, like 1971.',
    corrected: 'Corrected: {what}.',
    parentHint: 'The container moves there with everything in it.',
    history: 'History by field',
    historyIntro: 'Each field\'s changes, newest first. Open a field to see them.',
    historyNone: 'No changes recorded.',
    historyFrom: 'From the audit trail (the history service is not available).',
    historyOf: 'History of {field}',
    changes: '{n} changes',
    change1: '1 change',
    lastBy: 'last {when} by {who}',
    caption: 'Changes of {field}, newest first',
    when: 'When (UTC)',
    who: 'Who',
    action: 'Action',
    before: 'Before',
    after: 'After',
    empty: 'empty',
    'action.create': 'created',
    'action.correct': 'corrected',
    'action.move': 'moved',
    'action.status': 'status',
    'action.thaw': 'thawed',
    'action.aliquot': 'aliquoted',
    'action.derive': 'derived',
    'action.update': 'changed',
  },
  zh: {
    correct: '更正',
    correctTitle: '更正已记录的值',
    correctIntro: '用于录入错误的值。旧值、新值和更正原因都会保存在历史记录中。',
    correctNone: '这里没有可以更正的字段。',
    field: '字段',
    choose: '请选择…',
    newValue: '新值：{field}',
    now: '当前值：{value}',
    clear: '清除该值',
    remove: '移除',
    removeRow: '从本次更正中移除“{field}”',
    addField: '再添加一个字段',
    reason: '原因',
    reasonHint: '必填：说明原记录值错在哪里。将保存在历史记录中。',
    save: '保存更正',
    cancel: '取消',
    needField: '请选择要更正的字段。',
    needValue: '请填写新值，或勾选“清除该值”。',
    needReason: '请填写更正原因：它将保存在历史记录中。',
    twice: '“{field}”被选择了两次。',
    unchanged: '新值与已记录的值相同：无需更正。',
    notNumber: '请输入数字，例如 0.5。',
    notInteger: '请输入整数，例如 1971。',
    corrected: '已更正：{what}。',
    parentHint: '该容器将连同其中的所有物品一起移到那里。',
    history: '按字段的更改历史',
    historyIntro: '每个字段的更改，最新的在前。展开字段即可查看。',
    historyNone: '没有更改记录。',
    historyFrom: '来自审计记录（历史记录服务不可用）。',
    historyOf: '“{field}”的历史',
    changes: '{n} 次更改',
    change1: '1 次更改',
    lastBy: '最近：{when}，{who}',
    caption: '“{field}”的更改，最新的在前',
    when: '时间（UTC）',
    who: '操作人',
    action: '操作',
    before: '更改前',
    after: '更改后',
    empty: '空',
    'action.create': '创建',
    'action.correct': '更正',
    'action.move': '移动',
    'action.status': '状态',
    'action.thaw': '解冻',
    'action.aliquot': '分装',
    'action.derive': '提取',
    'action.update': '修改',
  },
};

/** The text for key in the current language, with {name} filled from vars. */
export function t(key, vars) {
  const s = TEXT[lang()][key] ?? TEXT.en[key] ?? key;
  return fill(s, vars);
}

const FIELDS = {
  label: ['Label', '标签'],
  type: ['Type', '类型'],
  anatomic_site: ['Anatomic site', '解剖部位'],
  pathology: ['Pathology', '病理'],
  tumour_pct: ['Tumour %', '肿瘤细胞比例（%）'],
  quantity: ['Quantity', '数量'],
  initial_quantity: ['Initial quantity', '初始数量'],
  unit: ['Unit', '单位'],
  collected_at: ['Collected at (UTC)', '采集时间（UTC）'],
  sprec: ['SPREC code', 'SPREC 编码'],
  concentration: ['Concentration (ng/µl)', '浓度（ng/µl）'],
  a260_280: ['A260/280', 'A260/280'],
  rin: ['RIN', 'RIN'],
  din: ['DIN', 'DIN'],
  collection: ['Collection / primary container', '采集方式 / 原始容器'],
  vessel: ['Vessel', '容器'],
  warm_ischaemia_min: ['Warm ischaemia (min)', '热缺血时间（分钟）'],
  cold_ischaemia_min: ['Cold ischaemia (min)', '冷缺血时间（分钟）'],
  fixation: ['Fixation', '固定方式'],
  fixation_min: ['Fixation time (min)', '固定时间（分钟）'],
  precentrifugation_min: ['Delay before centrifugation (min)', '离心前放置时间（分钟）'],
  precentrifugation_temp: ['Temperature before centrifugation', '离心前温度'],
  centrifugation: ['Centrifugation', '离心'],
  second_centrifugation: ['Second centrifugation', '第二次离心'],
  postcentrifugation_min: ['Delay after centrifugation (min)', '离心后放置时间（分钟）'],
  postcentrifugation_temp: ['Temperature after centrifugation', '离心后温度'],
  status: ['Status', '状态'],
  container: ['Box', '盒'],
  position: ['Position', '位置'],
  freeze_thaw: ['Freeze-thaw cycles', '冻融次数'],
  site: ['Site', '机构'],
  barcode: ['Barcode', '条码'],
  donor_site: ['Donor site', '捐献者所属机构'],
  lineage: ['Lineage', '谱系'],
  donor: ['Donor', '捐献者'],
  sex: ['Sex', '性别'],
  birth_year: ['Birth year', '出生年份'],
  name: ['Name', '名称'],
  temperature: ['Temperature (°C)', '温度（°C）'],
  parent: ['Parent', '上级'],
  retired: ['Retired', '已停用'],
  kind: ['Kind', '种类'],
};

/** A field's name for people ("tumour_pct" -> "Tumour %"). */
export function fieldLabel(name) {
  const f = FIELDS[name];
  if (f) return f[lang() === 'zh' ? 1 : 0];
  return String(name).replace(/_/g, ' ');
}

import type { RegimeKind } from '../../infra/domain/types.ts';
import type { ProposalReason } from '../../infra/domain/violation-ladder.ts';
import type { DocumentKind } from './types.ts';

/** The regime as a Russian document names it, with the chapter of the PEC KR that governs it. */
export const REGIME_RU: Readonly<Record<RegimeKind, { name: string; articles: string }>> = {
  restriction_of_freedom: { name: 'ограничение свободы', articles: 'ст. 61–64 УИК КР' },
  probation_supervision: { name: 'пробационный надзор', articles: 'ст. 164–168 УИК КР' },
  deferred_sentence: { name: 'отсрочка отбывания наказания', articles: 'ст. 160¹–160⁴ УИК КР' },
  parole: { name: 'условно-досрочное освобождение с пробационным надзором', articles: 'ч. 6 ст. 160, ст. 164–168 УИК КР' },
};

/** The document's title; a court submission's depends on what the regime's article lets the court do. */
export function documentTitleRu(kind: DocumentKind, regime: RegimeKind): string {
  switch (kind) {
    case 'written_warning':
      return 'Письменное предупреждение';
    case 'court_submission_add_duties':
      // PEC KR art. 168(2)
      return 'Представление в суд о дополнении ранее установленных обязанностей';
    case 'court_submission_change_duties':
      // PEC KR art. 166(3)
      return 'Представление в суд об отмене либо дополнении ранее установленных обязанностей';
    case 'court_submission_early_termination':
      // PEC KR art. 166(4)
      return 'Представление в суд о досрочном прекращении пробационного надзора';
    case 'court_submission_revoke':
      return REVOKE_TITLE[regime];
    case 'court_submission_deferral_end':
      // PEC KR art. 160^4(3)
      return 'Представление в суд по окончании отсрочки отбывания наказания (достижение ребенком четырнадцатилетнего возраста либо его смерть)';
  }
}

const REVOKE_TITLE: Readonly<Record<RegimeKind, string>> = {
  // PEC KR art. 64(3)
  restriction_of_freedom: 'Представление в суд о замене неотбытой части наказания в виде ограничения свободы лишением свободы',
  // PEC KR art. 168(3)
  probation_supervision: 'Представление в суд об отмене пробационного надзора и направлении осужденного для отбывания назначенного наказания',
  // PEC KR art. 160^4(2)
  deferred_sentence: 'Представление в суд об отмене отсрочки отбывания наказания',
  // PEC KR arts. 160(6), 168(3)
  parole: 'Представление в суд об отмене условно-досрочного освобождения',
};

export function isCourtSubmission(kind: DocumentKind): boolean {
  return kind !== 'written_warning';
}

const FIX_SOURCE_RU: Readonly<Record<string, string>> = { gps: 'GPS', cell: 'сотовая сеть', wifi: 'Wi-Fi' };
export const fixSourceRu = (source: string): string => FIX_SOURCE_RU[source] ?? source;

const EVENT_TYPE_RU: Readonly<Record<string, string>> = {
  strap_opened: 'вскрытие ремешка браслета',
  strap_closed: 'ремешок браслета закрыт',
  case_opened: 'вскрытие корпуса браслета',
  case_closed: 'корпус браслета закрыт',
  battery: 'уровень заряда батареи',
  charger_connected: 'зарядное устройство подключено',
  charger_disconnected: 'зарядное устройство отключено',
  gps_lost: 'потеря сигнала GPS',
  gps_regained: 'сигнал GPS восстановлен',
  powering_off: 'выключение устройства',
  message_read: 'сообщение прочитано',
};
export const eventTypeRu = (type: string): string => EVENT_TYPE_RU[type] ?? type;

const ALERT_TYPE_RU: Readonly<Record<string, string>> = {
  residence_exit: 'выезд за пределы административно-территориальной единицы',
  country_exit: 'выезд за пределы страны',
  exclusion_entry: 'посещение запрещенного места',
  curfew_breach: 'нарушение ограничения на пребывание вне дома',
  permit_overstay: 'превышение срока разрешенного выезда',
  strap_tamper: 'вскрытие ремешка браслета',
  case_tamper: 'вскрытие корпуса браслета',
  battery_low: 'низкий заряд батареи',
  battery_critical: 'критический заряд батареи',
  battery_dead: 'батарея разряжена',
  no_communication: 'отсутствие связи с устройством',
  no_location: 'отсутствие данных о местоположении',
  device_offline: 'устройство отключено',
  missed_appearance: 'неявка в орган пробации',
  inspection_overdue: 'просрочено обследование жилищных условий ребенка',
};
export const alertTypeRu = (type: string): string => ALERT_TYPE_RU[type] ?? type;

const SUPERSCRIPT: Readonly<Record<string, string>> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
const numberRu = (n: string) => n.replace(/\^(\d+)/g, (_, d: string) => [...d].map((c) => SUPERSCRIPT[c]).join(''));

/**
 * A citation in the platform's form ("PEC KR art. 166(1)(4^1)", LEGAL.md) as Russian legal text
 * writes it ("п. 4¹ ч. 1 ст. 166 УИК КР"). Anything not in that form is returned unchanged.
 */
export function articleRu(citation: string): string {
  const m = /^PEC KR art\. (\d+(?:\^\d+)?)(?:\((\d+(?:\^\d+)?)\))?(?:\((\d+(?:\^\d+)?)\))?$/.exec(citation.trim());
  if (!m) return citation;
  const [, article, part, item] = m;
  return [item && `п. ${numberRu(item)}`, part && `ч. ${numberRu(part)}`, `ст. ${numberRu(article!)}`, 'УИК КР'].filter(Boolean).join(' ');
}

/** "1 месяц", "3 месяца", "12 месяцев". */
export function monthsRu(n: number): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  const word = mod10 === 1 && mod100 !== 11 ? 'месяц' : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? 'месяца' : 'месяцев';
  return `${n} ${word}`;
}

/**
 * The facts that satisfy each element of the ground a proposal rests on, in Russian, for the
 * document's legal-basis section (issue 17: a submission states the warning's date, that the repeat
 * falls within the year, the duties breached, ...). The violations themselves, with their dates,
 * articles and evidence, are listed in the document's own section.
 */
export function groundFactsRu(reason: ProposalReason): string[] {
  const q = reason.params;
  switch (reason.code) {
    case 'failure_to_appear':
      return [`Неявка в орган пробации без уважительной причины в установленный законодательством срок (${q.dates}).`];
    case 'no_warning_yet':
      return [`Нарушений условий без уважительной причины: ${q.count}.`, 'Письменное предупреждение ранее не выносилось.'];
    case 'warning_outside_window':
      return [`Письменное предупреждение от ${q.warningDate} вынесено ранее чем за год до нарушения: нарушение не является повторным.`];
    case 'repeats_since_warning':
      return [`Письменное предупреждение вынесено ${q.warningDate}.`, `Нарушений без уважительной причины после него: ${q.count}.`];
    case 'repeat_within_window':
      return [
        `Письменное предупреждение вынесено ${q.warningDate}.`,
        `Повторное нарушение без уважительной причины совершено после предупреждения и в течение года со дня его вынесения (${monthsRu(Number(q.months))}).`,
      ];
    case 'repeat_assess_evasion':
      return [`Письменное предупреждение вынесено ${q.warningDate}.`, `Нарушений без уважительной причины после него: ${q.count}; вопрос об уклонении от отбывания наказания оценен сотрудником.`];
    case 'court_duties_breached':
      return [
        `Возложенные судом надзорные требования и пробационные обязанности нарушены без уважительных причин ${q.count} раза (${q.dates}).`,
        'Для представления по этому основанию предварительное письменное предупреждение не требуется.',
      ];
    case 'child_ground':
      return [`Отказ от ребенка или уклонение от обязанностей по его воспитанию (${q.dates}); доказательства приведены в описании нарушений.`];
    case 'child_turns_14':
      return [`Ребенок, ${q.birthDate} года рождения, достигает четырнадцатилетнего возраста ${q.dueOn}.`];
    case 'child_died':
      return [`Ребенок, ${q.birthDate} года рождения, умер ${q.dueOn}.`];
    case 'early_termination_due':
      return [
        `Срок надзора начался ${q.termStart}; половина срока истекла ${q.halfway}.`,
        'Нарушений условий без уважительных причин с начала срока нет; ущерб, причиненный преступлением, возмещен полностью.',
        ...(q.lastRefusal ? [`Со дня отказа суда (${q.lastRefusal}) истекло более ${monthsRu(Number(q.months))}.`] : []),
      ];
    case 'duty_unfulfillable':
      return [`Возложенная судом обязанность нарушена ${q.count} раза за ${q.days} дней, каждый раз по уважительной причине: осужденный не способен ее выполнить по независящим от него обстоятельствам.`];
  }
}

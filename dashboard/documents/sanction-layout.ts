import { bishkekDate, bishkekDateTime, calendarDate, formalDate } from './bishkek-time.ts';
import { EVIDENCE_FORMAT, evidenceSha256, eventsInEvidenceOrder, fixesInEvidenceOrder, formatAccuracy, formatLatLon } from './evidence-hash.ts';
import { alertTypeRu, articleRu, documentTitleRu, eventTypeRu, fixSourceRu, isCourtSubmission, monthsRu, REGIME_RU } from './labels-ru.ts';
import type { Block, DocumentLayout, Span, TableColumn } from './layout.ts';
import { sampleRows, type TableSample } from './table-sample.ts';
import type { SanctionDocumentInput } from './types.ts';

/** Rows of the track and device-event tables before they are sampled (table-sample.ts). */
export const MAX_TRACK_ROWS = 40;
export const MAX_EVENT_ROWS = 40;

export const CODE_NAME_RU = 'Уголовно-исполнительный кодекс Кыргызской Республики от 31 января 2017 года № 17 (далее — УИК КР)';
export const CLIENT_ACKNOWLEDGEMENT = 'С предупреждением ознакомлен(а)';

const p = (text: string, extra: Partial<Extract<Block, { kind: 'paragraph' }>> = {}): Block => ({
  kind: 'paragraph', spans: [{ text }], align: 'justify', size: 'body', firstLineIndent: true, ...extra,
});
const spans = (s: Span[], extra: Partial<Extract<Block, { kind: 'paragraph' }>> = {}): Block => ({
  kind: 'paragraph', spans: s, align: 'justify', size: 'body', ...extra,
});
const note = (text: string): Block => p(text, { size: 'small', firstLineIndent: false, align: 'left' });
const articlesRu = (articles: readonly string[]) => (articles.length ? articles.map(articleRu).join(', ') : '—');

/**
 * The wording of a written warning or a court submission, in the formal Russian of a Kyrgyz
 * probation office. Pure: the same input gives the same blocks, and so the same file.
 */
export function sanctionLayout(input: SanctionDocumentInput): DocumentLayout {
  const court = isCourtSubmission(input.kind);
  if (court && !input.court) throw new TypeError(`a ${input.kind} is addressed to a court: input.court is required`);
  const title = documentTitleRu(input.kind, input.client.regime);
  const hash = evidenceSha256(input.evidence);
  const blocks: Block[] = [
    ...letterhead(input, court),
    spans([{ text: title, bold: true }], { align: 'center', size: 'title', spaceBefore: 12 }),
    // Names are not declined (the platform cannot inflect them safely), so the name stands alone.
    spans([{ text: `Клиент пробации: ${input.client.fullName}` }], { align: 'center' }),
    p(
      court
        ? `${input.office.name} вносит настоящее представление в отношении указанного клиента пробации, состоящего(ей) на учете, по следующим основаниям.`
        : `${input.office.name} объявляет указанному клиенту пробации письменное предупреждение по следующим основаниям.`,
      { spaceBefore: 12 },
    ),
    ...clientSection(input),
    ...obligationsSection(input),
    ...historySection(input),
    ...evidenceSection(input),
    ...legalBasisSection(input),
    ...requestSection(input, court),
    ...hashSection(input, hash),
    note(`Приложение: выгрузка данных электронного надзора (формат ${EVIDENCE_FORMAT}) за период с ${bishkekDateTime(input.evidence.from)} по ${bishkekDateTime(input.evidence.to)}: ${input.evidence.fixes.length} отметок местоположения, ${input.evidence.events.length} событий устройства.`),
    ...signatures(input),
  ];
  return { title: `${title} № ${input.documentNumber}`, subject: input.client.fullName, author: input.office.name, createdAt: input.issuedAt, blocks };
}

function letterhead(input: SanctionDocumentInput, court: boolean): Block[] {
  const blocks: Block[] = [
    spans([{ text: input.office.name, bold: true }], { align: 'center' }),
    spans([{ text: input.office.districtName }], { align: 'center' }),
    spans([{ text: `${court ? 'Исх. ' : ''}№ ` }, { text: input.documentNumber, mono: true }, { text: ` от ${formalDate(input.issuedAt)}` }], { align: 'left', spaceBefore: 12 }),
  ];
  if (court && input.court) blocks.push({ kind: 'addressee', lines: [`В ${input.court.name}`] });
  return blocks;
}

function clientSection(input: SanctionDocumentInput): Block[] {
  const c = input.client;
  const regime = REGIME_RU[c.regime];
  return [
    { kind: 'heading', text: '1. Сведения о клиенте пробации' },
    {
      kind: 'table', header: false, size: 'body',
      columns: [{ title: 'Сведение', width: 0.4 }, { title: 'Значение', width: 0.6 }],
      rows: [
        ['Фамилия, имя, отчество', c.fullName],
        ['Дата рождения', c.birthDate ? calendarDate(c.birthDate) : 'не указана'],
        ['Адрес проживания', c.address ?? 'не указан'],
        ['Правовой режим', `${regime.name} (${regime.articles})`],
        ['Дата решения суда', calendarDate(c.courtDecisionDate)],
        ['Срок', monthsRu(c.termMonths)],
        ['Начало срока', c.termStart ? calendarDate(c.termStart) : 'не наступило'],
        ['Административно-территориальная единица проживания', c.residenceUnitName],
        ['Орган пробации', `${input.office.name} (${input.office.districtName})`],
      ],
    },
  ];
}

function obligationsSection(input: SanctionDocumentInput): Block[] {
  const items = input.obligationsBreached;
  return [
    { kind: 'heading', text: '2. Нарушенные обязанности' },
    ...(items.length
      ? items.map((o, i) => p(`${i + 1}) ${o.text} (${articlesRu(o.articles)}).`))
      : [p('Нарушений возложенных обязанностей не указано.')]),
  ];
}

function historySection(input: SanctionDocumentInput): Block[] {
  type Row = { at: number; order: number; cells: string[] };
  const rows: Row[] = [
    ...input.violations.map((v) => ({
      at: v.occurredAt,
      order: 0,
      cells: [
        bishkekDateTime(v.occurredAt),
        `Нарушение: ${v.obligation}`,
        articlesRu(v.articles),
        [
          v.alert ? `тревога «${alertTypeRu(v.alert.type)}», № ${v.alert.id}` : 'внесено инспектором',
          ...(v.description ? [v.description] : []),
          v.validReason ? `уважительная причина: ${v.validReason}` : 'уважительная причина не установлена',
        ].join('; '),
      ],
    })),
    ...input.warnings.map((w) => ({
      at: w.issuedAt,
      order: 1,
      cells: [bishkekDateTime(w.issuedAt), `Вынесено письменное предупреждение № ${w.documentNumber}`, '—', '—'],
    })),
  ].sort((a, b) => a.at - b.at || a.order - b.order);
  return [
    { kind: 'heading', text: '3. История нарушений и предупреждений' },
    rows.length
      ? {
          kind: 'table', header: true, size: 'small',
          columns: [
            { title: '№', width: 0.05, align: 'center' },
            { title: 'Дата и время', width: 0.15 },
            { title: 'Событие', width: 0.35 },
            { title: 'Статьи', width: 0.17 },
            { title: 'Подтверждение', width: 0.28 },
          ],
          rows: rows.map((r, i) => [String(i + 1), ...r.cells]),
        }
      : p('Нарушений и предупреждений не зарегистрировано.'),
    note('Время здесь и далее — по Бишкеку (UTC+6).'),
  ];
}

function evidenceSection(input: SanctionDocumentInput): Block[] {
  const { fixes, events, from, to } = input.evidence;
  const track = sampleRows(fixesInEvidenceOrder(fixes), MAX_TRACK_ROWS);
  const deviceEvents = sampleRows(eventsInEvidenceOrder(events), MAX_EVENT_ROWS);
  const blocks: Block[] = [
    { kind: 'heading', text: '4. Данные электронного надзора' },
    p(`Период: с ${bishkekDateTime(from)} по ${bishkekDateTime(to)}. Отметок местоположения: ${fixes.length}; событий устройства: ${events.length}.`),
    spans([{ text: 'Таблица 1. Отметки местоположения', bold: true }], { align: 'left', spaceBefore: 6 }),
  ];
  blocks.push(
    ...sampledTable(track, 'Отметок местоположения за период нет.', FIX_NOUN, [
      { title: '№', width: 0.08, align: 'center' },
      { title: 'Время', width: 0.24 },
      { title: 'Широта', width: 0.17, align: 'right' },
      { title: 'Долгота', width: 0.17, align: 'right' },
      { title: 'Точность, м', width: 0.14, align: 'right' },
      { title: 'Источник', width: 0.2 },
    ], (f) => [bishkekDateTime(f.at), formatLatLon(f.lat), formatLatLon(f.lon), formatAccuracy(f.accuracyM), fixSourceRu(f.source)]),
  );
  blocks.push(spans([{ text: 'Таблица 2. События устройства', bold: true }], { align: 'left', spaceBefore: 6 }));
  blocks.push(
    ...sampledTable(deviceEvents, 'Событий устройства за период не зарегистрировано.', EVENT_NOUN, [
      { title: '№', width: 0.08, align: 'center' },
      { title: 'Время', width: 0.24 },
      { title: 'Событие', width: 0.34 },
      { title: 'Подробности', width: 0.34 },
    ], (e) => [bishkekDateTime(e.at), eventTypeRu(e.type), e.detail]),
  );
  return blocks;
}

/** A sampled table (first column: the row's number in the full list) and the note saying how it was sampled. */
function sampledTable<T>(sample: TableSample<T>, emptyText: string, noun: RowNoun, columns: TableColumn[], cells: (item: T) => string[]): Block[] {
  if (sample.total === 0) return [p(emptyText)];
  return [
    { kind: 'table', header: true, size: 'small', columns, rows: sample.rows.map(({ position, item }) => [String(position), ...cells(item)]) },
    note(sampleNote(sample.rows.length, sample.total, sample.step, noun)),
  ];
}

interface RowNoun {
  /** "все отметки", "первая", "каждая", "-я", "последняя", "отметки" (genitive singular) */
  all: string; first: string; every: string; ordinalEnding: string; last: string; genitive: string;
}
const FIX_NOUN: RowNoun = { all: 'все отметки', first: 'первая', every: 'каждая', ordinalEnding: 'я', last: 'последняя', genitive: 'отметки' };
const EVENT_NOUN: RowNoun = { all: 'все события', first: 'первое', every: 'каждое', ordinalEnding: 'е', last: 'последнее', genitive: 'события' };

function sampleNote(shown: number, total: number, step: number, n: RowNoun): string {
  if (step === 1) return `Показаны ${n.all} (${total}) в порядке времени.`;
  return (
    `Показаны ${shown} из ${total}: ${n.first}, затем ${n.every} ${step}-${n.ordinalEnding} и ${n.last}, в порядке времени; ` +
    `№ — номер ${n.genitive} в полной выгрузке. Контрольная сумма (раздел 7) охватывает ${n.all} (${total}).`
  );
}

function legalBasisSection(input: SanctionDocumentInput): Block[] {
  return [
    { kind: 'heading', text: '5. Правовое основание' },
    p(`Руководствуясь нормами, указанными ниже (${CODE_NAME_RU}):`),
    ...input.legalBasis.map((a, i) => p(`${i + 1}) ${articleRu(a)} (${a})${i === input.legalBasis.length - 1 ? '.' : ';'}`)),
    ...(input.grounds?.length ? [p('Установлено:'), ...input.grounds.map((g) => p(`— ${g}`))] : []),
  ];
}

function requestSection(input: SanctionDocumentInput, court: boolean): Block[] {
  return [{ kind: 'heading', text: court ? '6. ПРОШУ:' : '6. Предупреждение' }, p(input.request)];
}

function hashSection(input: SanctionDocumentInput, hash: string): Block[] {
  const { fixes, events } = input.evidence;
  return [
    { kind: 'heading', text: '7. Контрольная сумма данных электронного надзора' },
    spans([{ text: 'SHA-256: ' }, { text: hash, mono: true, bold: true }], { align: 'left' }),
    note(
      `Контрольная сумма вычислена по выгрузке всех ${fixes.length} отметок местоположения и ${events.length} событий устройства за указанный период ` +
        `в формате ${EVIDENCE_FORMAT}: текст в кодировке UTF-8, поля разделены табуляцией, каждая строка оканчивается символом LF. ` +
        `Первая строка — «${EVIDENCE_FORMAT}»; вторая — «period», начало и конец периода; затем строки «fix»: время (UTC, ISO 8601 с миллисекундами), ` +
        'широта и долгота (6 знаков после точки), точность в метрах (1 знак), источник; затем строки «event»: время, тип, подробности. ' +
        'Строки каждого вида упорядочены по байтам, то есть по времени. Порядок проверки: вычислить SHA-256 файла выгрузки ' +
        '(например, командой sha256sum) и сравнить с указанным значением; изменение любой отметки или события меняет контрольную сумму.',
    ),
  ];
}

function signatures(input: SanctionDocumentInput): Block[] {
  const blocks: Block[] = [
    spans([{ text: `Дата: ${bishkekDate(input.issuedAt)}` }], { align: 'left', spaceBefore: 18 }),
    { kind: 'signature', role: input.officer.position, name: input.officer.fullName, caption: '(подпись)' },
    input.head
      ? { kind: 'signature', role: input.head.position, name: input.head.fullName, caption: '(подпись)' }
      : { kind: 'signature', role: 'Начальник органа пробации', name: '', caption: '(подпись, Ф. И. О.)' },
  ];
  if (input.kind === 'written_warning') {
    blocks.push(
      spans([{ text: `${CLIENT_ACKNOWLEDGEMENT}:`, bold: true }], { align: 'left', spaceBefore: 18 }),
      { kind: 'signature', role: 'Клиент пробации', name: input.client.fullName, caption: '(подпись)   «___» ____________ 20___ г.' },
    );
  }
  return blocks;
}

import { newPdfDocument } from '../../../platform/export/pdf.js';
import { longFrenchDate, parisNumericDate, parisTime, parseCalendarDate } from './dates.js';
import { fallbackOf } from './text.js';

/**
 * The « liste des délibérations » of a council session (CGCT L2121-25 for communes, since
 * 1 July 2022; the same duty for EPCI and syndicats through L5211-1): within one week of the session
 * it is posted at the town hall and put online. Each deliberation examined is listed with its number,
 * subject and whether it was adopted or rejected; the footer says when the list was put online.
 */
export interface SessionDeliberation {
  number: string;
  subject: string;
  /** The classification's label (« Décisions budgétaires »), when known. */
  classificationLabel?: string | null;
  votesMembers?: number | null;
  votesPresent?: number | null;
  votesFor?: number | null;
  votesAgainst?: number | null;
  votesAbstention?: number | null;
  /**
   * What was decided, when the counts do not tell it (a tie settled by the chair's casting vote,
   * CGCT L2121-20) or are not recorded.
   */
  outcome?: VoteOutcome | null;
  publishedAt?: Date | null;
}

export interface DeliberationsListInput {
  memberName: string;
  /** The session's date, `YYYY-MM-DD`. */
  sessionOn: string;
  /** The deliberating assembly; « Conseil municipal » by default. */
  assembly?: string;
  /** When the list is put online (the server's clock). */
  onlineAt: Date;
  acts: SessionDeliberation[];
}

export type VoteOutcome = 'adopted' | 'rejected';

/**
 * The outcome of a vote: the explicit one when given, otherwise the absolute majority of the votes
 * cast, abstentions not counted (CGCT L2121-20); null on a tie (the chair's casting vote decides, which
 * the counts do not show) or when the counts are unknown.
 */
export function voteOutcome(act: SessionDeliberation): VoteOutcome | null {
  if (act.outcome) return act.outcome;
  const { votesFor, votesAgainst } = act;
  if (votesFor === null || votesFor === undefined || votesAgainst === null || votesAgainst === undefined)
    return null;
  if (votesFor > votesAgainst) return 'adopted';
  if (votesFor < votesAgainst) return 'rejected';
  return null;
}

/** « Adoptée à l'unanimité », « Adoptée (pour : 38, contre : 4, abstentions : 2) », « Rejetée (…) ». */
export function outcomeText(act: SessionDeliberation): string {
  const outcome = voteOutcome(act);
  const counts = [
    act.votesFor != null ? `pour : ${act.votesFor}` : null,
    act.votesAgainst != null ? `contre : ${act.votesAgainst}` : null,
    act.votesAbstention != null ? `abstentions : ${act.votesAbstention}` : null,
  ].filter(Boolean);
  const detail = counts.length > 0 ? ` (${counts.join(', ')})` : '';
  if (outcome === 'adopted') {
    const unanimous = (act.votesFor ?? 0) > 0 && act.votesAgainst === 0 && act.votesAbstention === 0;
    return unanimous ? "Adoptée à l'unanimité" : `Adoptée${detail}`;
  }
  if (outcome === 'rejected') return `Rejetée${detail}`;
  if (act.votesFor != null && act.votesFor === act.votesAgainst)
    return `Partage égal des voix${detail} : résultat à préciser`;
  return 'Résultat du vote non renseigné';
}

/** The characters the standard PDF fonts (WinAnsi) can draw; others lose their accent, or become « ? ». */
const WIN_ANSI_EXTRAS = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
function printable(text: string): string {
  return [...text.replace(/[\u00a0\u202f]/g, ' ')]
    .map((c) => {
      const code = c.codePointAt(0) ?? 0;
      if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.includes(c))
        return c;
      if (c === '\n' || c === '\t') return ' ';
      return fallbackOf(c, (bare) => /^[\x20-\x7e]+$/.test(bare));
    })
    .join('');
}

const MARGIN = 56;
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const WIDTH = PAGE_WIDTH - 2 * MARGIN;
const FOOTER_SPACE = 40;

export function deliberationsListTitle(sessionOn: string): string {
  return `Liste des délibérations de la séance du ${longFrenchDate(sessionOn)}`;
}

/** The list as an A4 PDF. */
export async function deliberationsListPdf(input: DeliberationsListInput): Promise<Buffer> {
  parseCalendarDate(input.sessionOn);
  const title = deliberationsListTitle(input.sessionOn);
  const assembly = input.assembly ?? 'Conseil municipal';
  const doc = await newPdfDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOTER_SPACE, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: printable(`${title} — ${input.memberName}`),
      Author: printable(input.memberName),
      Subject: printable(`${assembly} — article L2121-25 du code général des collectivités territoriales`),
      Creator: 'Socle',
      Producer: 'Socle',
      CreationDate: input.onlineAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(11).text(printable(input.memberName), { width: WIDTH });
  doc.font('Helvetica').fontSize(10).text(printable(assembly), { width: WIDTH });
  doc.moveDown(1.2);
  doc.font('Helvetica-Bold').fontSize(16).text(printable(title), { width: WIDTH });
  doc.moveDown(0.3);
  const n = input.acts.length;
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor('#333333')
    .text(
      n === 0
        ? "Aucune délibération n'a été examinée lors de cette séance."
        : `${n} délibération${n > 1 ? 's' : ''} examinée${n > 1 ? 's' : ''} lors de la séance.`,
      { width: WIDTH },
    )
    .fillColor('black');
  doc.moveDown(1);

  for (const act of input.acts) {
    // Keep a deliberation's heading with at least its first lines.
    if (doc.y > PAGE_HEIGHT - MARGIN - FOOTER_SPACE - 70) doc.addPage();
    doc
      .font('Helvetica-Bold')
      .fontSize(11)
      .text(`Délibération n° ${printable(act.number)}`, { width: WIDTH });
    doc.font('Helvetica').fontSize(10).text(printable(act.subject), { width: WIDTH });
    doc.fontSize(9).fillColor('#333333');
    if (act.classificationLabel)
      doc.text(`Matière : ${printable(act.classificationLabel)}`, { width: WIDTH });
    const presence = [
      act.votesMembers != null ? `Membres en exercice : ${act.votesMembers}` : null,
      act.votesPresent != null ? `Présents ou représentés : ${act.votesPresent}` : null,
    ].filter(Boolean);
    if (presence.length > 0) doc.text(presence.join(' — '), { width: WIDTH });
    doc.fillColor('black').font('Helvetica-Bold').text(outcomeText(act), { width: WIDTH });
    if (act.publishedAt)
      doc
        .font('Helvetica')
        .fillColor('#333333')
        .text(`Publiée le ${parisNumericDate(act.publishedAt)}`, { width: WIDTH })
        .fillColor('black');
    doc.moveDown(0.8);
  }

  // Footers on every page, once the page count is known.
  const pages = doc.bufferedPageRange();
  const online = `Liste mise en ligne le ${parisNumericDate(input.onlineAt)} à ${parisTime(input.onlineAt)}`;
  const legal = 'Article L2121-25 du code général des collectivités territoriales';
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    // Writing below the bottom margin would otherwise open a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = PAGE_HEIGHT - MARGIN - 14;
    doc.font('Helvetica').fontSize(8).fillColor('#333333');
    doc.text(online, MARGIN, y, { width: WIDTH - 70, lineBreak: false });
    doc.text(legal, MARGIN, y + 10, { width: WIDTH - 70, lineBreak: false });
    doc.text(`Page ${i + 1} / ${pages.count}`, MARGIN + WIDTH - 70, y, {
      width: 70,
      align: 'right',
      lineBreak: false,
    });
    doc.fillColor('black');
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

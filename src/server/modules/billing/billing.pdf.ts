import type { InvoiceDetail } from '../../../contracts/billing.js';
import { INVOICE_STATUS_LABELS } from '../../../contracts/billing.js';
import { euros, forPdf, frenchDate, NBSP, shortDate } from '../../../contracts/french.js';
import { newPdfDocument } from '../../platform/export/pdf.js';

export interface PaymentDetails {
  iban: string;
  bic: string;
}

export interface PdfParties {
  operatorAddress: string | null;
  memberAddress: string | null;
}

/** The standard PDF fonts have the no-break space but not the narrow one (see forPdf). */
const plain = forPdf;
/** « 25 000,00 € » glued by no-break spaces: an amount never splits across lines. */
const money = (cents: number) => forPdf(euros(cents));
/** « Libellé : » with the no-break space French puts before a colon. */
const labelled = (label: string) => `${label}${NBSP}: `;
const groupIban = (iban: string) => iban.replace(/(.{4})/g, '$1 ').trim();

const MARGIN = 50;
const WIDTH = 595.28 - 2 * MARGIN;
/** Where the running header sits, in the top margin of every page. */
const HEADER_Y = 24;
/** The amounts column: never narrower than this, wider when an amount needs it. */
const MIN_AMOUNT_WIDTH = 100;

/**
 * The invoice (or credit note) as a French A4 PDF: both parties with their SIRET, the Chorus Pro
 * fields (service code, engagement number), the lines, totals, due date and how to pay.
 */
export async function renderInvoicePdf(
  invoice: InvoiceDetail,
  parties: PdfParties,
  payment: PaymentDetails,
): Promise<Buffer> {
  const doc = await newPdfDocument({
    size: 'A4',
    margin: MARGIN,
    // Pages are kept until the end, when « page x/y » is known and written on each.
    bufferPages: true,
    info: {
      Title: `${invoice.kind === 'invoice' ? 'Facture' : 'Avoir'} ${invoice.number}`,
      Author: plain(invoice.operatorName),
      Subject: invoice.call > 1 ? `Appel complémentaire ${invoice.year}` : `Contribution ${invoice.year}`,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const isCredit = invoice.kind === 'credit_note';
  const title = `${isCredit ? 'Avoir' : 'Facture'} n°${NBSP}${invoice.number}`;
  const top = doc.y;
  doc
    .font('Helvetica-Bold')
    .fontSize(11)
    .text(plain(invoice.operatorName), MARGIN, top, { width: WIDTH / 2 - 10 });
  doc.font('Helvetica').fontSize(9);
  if (parties.operatorAddress) doc.text(plain(parties.operatorAddress), { width: WIDTH / 2 - 10 });
  doc.text(`${labelled('SIRET')}${invoice.operatorSiret}`, { width: WIDTH / 2 - 10 });
  const leftBottom = doc.y;

  doc
    .font('Helvetica-Bold')
    .fontSize(11)
    .text(plain(invoice.memberName), MARGIN + WIDTH / 2, top, { width: WIDTH / 2 });
  doc.font('Helvetica').fontSize(9);
  if (parties.memberAddress) doc.text(plain(parties.memberAddress), { width: WIDTH / 2 });
  doc.text(`${labelled('SIREN')}${invoice.memberSiren}`, { width: WIDTH / 2 });
  doc.text(`${labelled('SIRET')}${invoice.memberSiret ?? 'non renseigné'}`, { width: WIDTH / 2 });
  doc.y = Math.max(leftBottom, doc.y) + 25;

  doc.font('Helvetica-Bold').fontSize(16).text(`${title}`, MARGIN, doc.y, { width: WIDTH });
  doc.font('Helvetica').fontSize(10).moveDown(0.3);
  const facts: [string, string][] = [
    ["Date d'émission", shortDate(invoice.issuedOn)],
    ...(isCredit ? [] : [["Date d'échéance", shortDate(invoice.dueOn)] as [string, string]]),
    ['Exercice', String(invoice.year)],
    ...(invoice.kind === 'invoice' && invoice.call > 1
      ? [['Appel', `complémentaire n° ${invoice.call - 1}`] as [string, string]]
      : []),
    ['Code service (Chorus Pro)', invoice.serviceCode ?? 'non communiqué'],
    ["N° d'engagement (Chorus Pro)", invoice.engagementNumber ?? 'non communiqué'],
  ];
  if (isCredit) {
    facts.push(['Avoir sur la facture', invoice.creditOfNumber ?? '']);
    if (invoice.reason) facts.push(['Motif', invoice.reason]);
  } else {
    facts.push(['Statut', INVOICE_STATUS_LABELS[invoice.status]]);
  }
  for (const [label, value] of facts) {
    doc
      .font('Helvetica-Bold')
      .text(labelled(label), { continued: true })
      .font('Helvetica')
      .text(plain(value));
  }
  doc.moveDown(1);

  // The amounts column is as wide as its widest amount (bold, totals included), so none wraps.
  const amounts = [
    ...invoice.lines.map((l) => l.totalCents),
    invoice.totalCents,
    -invoice.creditedCents,
    -invoice.paidCents,
    invoice.dueCents,
  ].map(money);
  doc.font('Helvetica-Bold').fontSize(10);
  const amountWidth = Math.ceil(
    Math.max(MIN_AMOUNT_WIDTH, ...amounts.map((text) => doc.widthOfString(text) + 2)),
  );
  const codeX = MARGIN;
  const labelX = MARGIN + 95;
  const amountX = MARGIN + WIDTH - amountWidth;
  const header = doc.y;
  doc.font('Helvetica-Bold').fontSize(9);
  doc.text('Code', codeX, header, { width: 90 });
  doc.text('Désignation', labelX, header, { width: amountX - labelX - 10 });
  doc.text('Montant', amountX, header, { width: amountWidth, align: 'right' });
  doc
    .moveTo(MARGIN, doc.y + 3)
    .lineTo(MARGIN + WIDTH, doc.y + 3)
    .stroke();
  doc.y += 8;
  for (const line of invoice.lines) {
    if (doc.y > 740) doc.addPage();
    const y = doc.y;
    doc.font('Helvetica').fontSize(9);
    doc.text(line.serviceCode ?? 'COTISATION', codeX, y, { width: 90 });
    doc.text(plain(line.label), labelX, y, { width: amountX - labelX - 10 });
    const afterLabel = doc.y;
    doc.text(money(line.totalCents), amountX, y, { width: amountWidth, align: 'right', lineBreak: false });
    doc.y = afterLabel;
    if (line.explanation) {
      doc
        .fontSize(7.5)
        .fillColor('#444444')
        .text(plain(line.explanation), labelX, doc.y, { width: amountX - labelX - 10 })
        .fillColor('black');
    }
    doc.y += 5;
  }
  doc
    .moveTo(MARGIN, doc.y)
    .lineTo(MARGIN + WIDTH, doc.y)
    .stroke();
  doc.y += 8;
  if (doc.y > 680) doc.addPage();

  const totals: [string, number][] = [[isCredit ? 'Total de l’avoir' : 'Total', invoice.totalCents]];
  if (!isCredit) {
    if (invoice.creditedCents) totals.push(['Avoirs émis', -invoice.creditedCents]);
    if (invoice.paidCents) totals.push(['Déjà payé', -invoice.paidCents]);
    totals.push(['Reste à payer', invoice.dueCents]);
  }
  for (const [label, cents] of totals) {
    const y = doc.y;
    doc
      .font('Helvetica-Bold')
      .fontSize(10)
      .text(label, labelX, y, { width: amountX - labelX - 10, align: 'right' });
    doc.text(money(cents), amountX, y, { width: amountWidth, align: 'right', lineBreak: false });
    doc.y += 3;
  }
  doc.font('Helvetica').fontSize(8).moveDown(0.5);
  doc.text('TVA non applicable, article 256 B du code général des impôts.', MARGIN, doc.y, { width: WIDTH });
  doc.moveDown(1);

  if (!isCredit) {
    doc.font('Helvetica-Bold').fontSize(10).text('Modalités de paiement', MARGIN, doc.y, { width: WIDTH });
    doc.font('Helvetica').fontSize(9);
    doc.text(
      `Par virement au plus tard le ${frenchDate(invoice.dueOn)}, en rappelant le numéro ${invoice.number}.`,
      { width: WIDTH },
    );
    doc.text(`${labelled('IBAN')}${groupIban(payment.iban)} — ${labelled('BIC')}${payment.bic}`, {
      width: WIDTH,
    });
    doc.text('Titulaire : comptable public assignataire du syndicat (Trésor public).', { width: WIDTH });
  }
  writeRunningHeaders(doc, `${plain(invoice.operatorName)} — ${title}`);
  doc.end();
  return done;
}

/**
 * « Facture n° F-2026-000123 — page 2/3 » at the top of every page, once the page count is known: a
 * page that carries only totals still says which invoice it belongs to.
 */
function writeRunningHeaders(doc: PDFKit.PDFDocument, title: string) {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Written inside the top margin: lift it for the call so pdfkit does not start a new page.
    const top = doc.page.margins.top;
    doc.page.margins.top = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#444444')
      .text(`${title} — page${NBSP}${i - start + 1}/${count}`, MARGIN, HEADER_Y, {
        width: WIDTH,
        align: 'right',
        lineBreak: false,
      })
      .fillColor('black');
    doc.page.margins.top = top;
  }
}

import { forPdf, frenchDate, frenchDateTime } from '../../../contracts/french.js';
import { newPdfDocument } from '../../platform/export/pdf.js';

/** The printed convocation: one page per recipient (those who asked for paper, or one person). */
export interface PrintedConvocation {
  organisationName: string;
  assemblyName: string;
  startsAt: Date;
  place: string;
  remote: boolean;
  urgent: boolean;
  urgencyReason: string | null;
  sentOn: string;
  items: { position: number; title: string; explanatoryNote: string }[];
  recipients: { fullName: string; seatKind: 'titular' | 'substitute' }[];
}

const MARGIN = 56;

export async function convocationPdf(input: PrintedConvocation): Promise<Buffer> {
  const doc = await newPdfDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    info: {
      Title: forPdf(`Convocation — ${input.assemblyName}, ${frenchDate(input.startsAt)}`),
      Author: forPdf(input.organisationName),
      Creator: 'Socle',
      Producer: 'Socle',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  input.recipients.forEach((recipient, index) => {
    if (index > 0) doc.addPage();
    doc.font('Helvetica-Bold').fontSize(11).text(forPdf(input.organisationName), { width });
    doc.font('Helvetica').fontSize(10).text(forPdf(input.assemblyName), { width });
    doc.moveDown(1.5);
    doc.text(forPdf(`Le ${frenchDate(input.sentOn)}`), { width, align: 'right' });
    doc.moveDown(1);
    doc.font('Helvetica-Bold').text(forPdf(recipient.fullName), { width });
    doc
      .font('Helvetica')
      .text(recipient.seatKind === 'titular' ? 'Membre titulaire' : 'Membre suppléant', { width });
    doc.moveDown(1.5);
    doc
      .font('Helvetica-Bold')
      .fontSize(16)
      .text(input.urgent ? 'Convocation (urgence)' : 'Convocation', { width });
    doc.moveDown(0.8);
    doc
      .font('Helvetica')
      .fontSize(11)
      .text(
        forPdf(
          `Vous êtes convoqué(e) à la séance de l'assemblée « ${input.assemblyName} » qui se tiendra le ${frenchDateTime(input.startsAt)}, ${input.place}${input.remote ? ' (participation à distance possible)' : ''}.`,
        ),
        { width },
      );
    if (input.urgent && input.urgencyReason) {
      doc.moveDown(0.5).text(forPdf(`Motif de l'urgence : ${input.urgencyReason}`), { width });
    }
    doc.moveDown(1);
    doc.font('Helvetica-Bold').fontSize(12).text('Ordre du jour', { width });
    doc.moveDown(0.4);
    for (const item of input.items) {
      doc
        .font('Helvetica-Bold')
        .fontSize(10.5)
        .text(forPdf(`${item.position}. ${item.title}`), { width });
      if (item.explanatoryNote) {
        doc
          .font('Helvetica')
          .fontSize(9.5)
          .fillColor('#333333')
          .text(forPdf(item.explanatoryNote), { width })
          .fillColor('black');
      }
      doc.moveDown(0.5);
    }
  });
  doc.end();
  return done;
}

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

/** The draft procès-verbal: the sitting as recorded (attendance, quorum, each item's vote). */
export interface MinutesDraft {
  organisationName: string;
  assemblyName: string;
  startsAt: Date;
  place: string;
  convocationsSentAt: Date | null;
  secondConvocation: boolean;
  quorum: { inOffice: number; required: number; present: number; reached: boolean };
  present: string[];
  represented: { fullName: string; holder: string }[];
  excused: string[];
  absent: string[];
  items: {
    position: number;
    title: string;
    status: string;
    result: string | null;
    actNumber: string | null;
    ballots: string[];
  }[];
  closedAt: Date | null;
  /** Once adopted: the later session that adopted it and that vote's deliberation. */
  adopted?: { sessionStartsAt: Date; deliberationNumber: string | null } | null;
}

export async function minutesPdf(input: MinutesDraft): Promise<Buffer> {
  const doc = await newPdfDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    info: {
      Title: forPdf(
        `Procès-verbal${input.adopted ? '' : ' (projet)'} — ${input.assemblyName}, ${frenchDate(input.startsAt)}`,
      ),
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
  const heading = (text: string) => {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).text(forPdf(text), { width });
    doc.moveDown(0.3).font('Helvetica').fontSize(10);
  };
  const names = (label: string, list: string[]) => {
    doc
      .font('Helvetica')
      .fontSize(10)
      .text(forPdf(`${label} (${list.length}) : ${list.length ? list.join(', ') : 'aucun'}.`), { width });
    doc.moveDown(0.3);
  };
  doc.font('Helvetica-Bold').fontSize(11).text(forPdf(input.organisationName), { width });
  doc.font('Helvetica').fontSize(10).text(forPdf(input.assemblyName), { width });
  doc.moveDown(1.2);
  doc
    .font('Helvetica-Bold')
    .fontSize(16)
    .text(forPdf(`Procès-verbal de la séance du ${frenchDate(input.startsAt)}`), { width });
  doc
    .font('Helvetica-Oblique')
    .fontSize(10)
    .text(
      forPdf(
        input.adopted
          ? `Adopté par l'assemblée lors de sa séance du ${frenchDate(input.adopted.sessionStartsAt)}${
              input.adopted.deliberationNumber ? ` (délibération n° ${input.adopted.deliberationNumber})` : ''
            }.`
          : 'Projet établi à partir du registre de la séance, soumis à l’approbation de la séance suivante.',
      ),
      { width },
    );
  doc.moveDown(0.8).font('Helvetica').fontSize(10.5);
  doc.text(
    forPdf(
      `L'assemblée s'est réunie le ${frenchDateTime(input.startsAt)}, ${input.place}${
        input.convocationsSentAt
          ? `, sur convocation adressée le ${frenchDate(input.convocationsSentAt)}`
          : ''
      }${input.secondConvocation ? ', en seconde convocation (sans condition de quorum)' : ''}.`,
    ),
    { width },
  );
  heading('Présences et quorum');
  names('Présents', input.present);
  names(
    'Représentés',
    input.represented.map((r) => `${r.fullName} (pouvoir à ${r.holder})`),
  );
  names('Excusés', input.excused);
  names('Absents', input.absent);
  doc.text(
    forPdf(
      input.quorum.required === 0
        ? `Membres en exercice : ${input.quorum.inOffice} ; présents : ${input.quorum.present} ; aucun quorum requis.`
        : `Membres en exercice : ${input.quorum.inOffice} ; présents : ${input.quorum.present} ; quorum : ${input.quorum.required} — ${input.quorum.reached ? 'atteint' : 'non atteint'}.`,
    ),
    { width },
  );
  heading('Délibérations');
  for (const item of input.items) {
    doc
      .font('Helvetica-Bold')
      .fontSize(10.5)
      .text(forPdf(`${item.position}. ${item.title}`), { width });
    doc
      .font('Helvetica')
      .fontSize(10)
      .text(
        forPdf(
          `${item.status}${item.result ? ` — ${item.result}` : ''}${
            item.actNumber ? ` — délibération n° ${item.actNumber}` : ''
          }.`,
        ),
        { width },
      );
    if (item.ballots.length)
      doc.fontSize(9.5).text(forPdf(`Vote nominatif : ${item.ballots.join(' ; ')}.`), { width });
    doc.moveDown(0.5);
  }
  if (input.closedAt) {
    doc
      .moveDown(0.5)
      .fontSize(10)
      .text(forPdf(`Séance close le ${frenchDateTime(input.closedAt)}.`), { width });
  }
  doc.end();
  return done;
}

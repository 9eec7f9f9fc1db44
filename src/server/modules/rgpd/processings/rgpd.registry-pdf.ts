import {
  DPIA_CRITERION_LABELS,
  DPIA_STATUS_LABELS,
  FINAL_FATE_LABELS,
  LEGAL_BASIS_LABELS,
  PROCESSING_STATUS_LABELS,
  type Processing,
  RECIPIENT_TYPE_LABELS,
  SECURITY_MEASURE_KEYS,
  SECURITY_MEASURE_LABELS,
} from '../../../../contracts/rgpd.js';
import { today } from '../../../platform/clock.js';
import type { Executor } from '../../../platform/db/client.js';
import { notFound } from '../../../platform/errors.js';
import { newPdfDocument } from '../../../platform/export/pdf.js';
import type { Column, Sheet } from '../../../platform/export/spreadsheet.js';
import { getDesignation } from './rgpd.designation.service.js';
import { findRegistryHolder } from './rgpd.organisations.repository.js';
import { isDpiaRequired } from './rgpd.processings.rules.js';
import { allProcessingDetails, requireMember } from './rgpd.processings.service.js';

/**
 * The registry as documents: a printable PDF laid out for a CNIL inspection (Art. 30.1 content for
 * each processing, controller and DPO first), and the same content as CSV/XLSX, one row per processing.
 */
export interface RegistryDocument {
  member: { id: string; name: string; siren: string; address: string | null; representative: string | null };
  designation: Awaited<ReturnType<typeof getDesignation>>;
  processings: Processing[];
  editedOn: string;
}

export async function loadRegistry(db: Executor, memberId: string): Promise<RegistryDocument> {
  await requireMember(db, memberId);
  const holder = await findRegistryHolder(db, memberId);
  if (!holder) throw notFound('Cette structure n’existe pas.');
  const { representative } = holder;
  const processings = await allProcessingDetails(db, memberId);
  return {
    member: {
      id: holder.id,
      name: holder.name,
      siren: holder.siren,
      address:
        [holder.address, [holder.postalCode, holder.city].filter(Boolean).join(' ')]
          .filter(Boolean)
          .join(', ') || null,
      representative: representative ? `${representative.firstName} ${representative.lastName}` : null,
    },
    designation: await getDesignation(db, memberId),
    processings,
    editedOn: today(),
  };
}

const frenchDate = (iso: string | null) => (iso ? iso.split('-').reverse().join('/') : '—');
const orDash = (value: string | null | undefined) => (value?.trim() ? value : '—');

/** Each Art. 30 heading with its text, in the order an inspector reads them. */
function sectionsOf(p: Processing): [string, string][] {
  return [
    ['Finalités', orDash(p.purposes)],
    [
      'Base légale',
      p.legalBasis
        ? `${LEGAL_BASIS_LABELS[p.legalBasis]}${p.legalBasisJustification ? ` — ${p.legalBasisJustification}` : ''}`
        : '—',
    ],
    [
      'Données sensibles (art. 9)',
      p.sensitiveData ? `Oui — exception : ${orDash(p.sensitiveException)}` : 'Non',
    ],
    [
      'Personnes concernées',
      p.dataSubjects
        .map((d) => (d.estimatedCount !== null ? `${d.category} (environ ${d.estimatedCount})` : d.category))
        .join(' ; ') || '—',
    ],
    ['Catégories de données', p.dataCategories.join(' ; ') || '—'],
    ['Sources et mode de collecte', [p.sources, p.collectionMethod].filter(Boolean).join(' — ') || '—'],
    [
      'Destinataires',
      p.recipients.map((r) => `${r.name} (${RECIPIENT_TYPE_LABELS[r.type]})`).join(' ; ') || '—',
    ],
    [
      'Transferts hors Union européenne',
      p.transfers.map((t) => `${t.country} — garanties : ${orDash(t.safeguard)}`).join(' ; ') || 'Aucun',
    ],
    [
      'Durées de conservation',
      p.retention
        .map((r) => `${r.dataCategory} : ${r.duration}, puis ${FINAL_FATE_LABELS[r.finalFate].toLowerCase()}`)
        .join(' ; ') || '—',
    ],
    [
      'Mesures de sécurité',
      SECURITY_MEASURE_KEYS.filter((k) => p.securityMeasures[k])
        .map((k) => `${SECURITY_MEASURE_LABELS[k]} : ${p.securityMeasures[k]}`)
        .join('\n') || '—',
    ],
    ['Logiciel', orDash(p.software)],
    ['Sous-traitants', p.processors.map((s) => s.name).join(' ; ') || 'Aucun'],
    ['Service responsable', orDash(p.department)],
    [
      'Analyse d’impact (AIPD)',
      `${isDpiaRequired(p.dpiaCriteria) ? 'Requise' : 'Non requise par les critères'}` +
        (p.dpiaCriteria.length
          ? ` — critères : ${p.dpiaCriteria.map((c) => DPIA_CRITERION_LABELS[c]).join(', ')}`
          : '') +
        ` — statut : ${DPIA_STATUS_LABELS[p.dpiaStatus]}` +
        (p.dpiaNotRequiredReason ? ` (${p.dpiaNotRequiredReason})` : ''),
    ],
    [
      'Suivi',
      `${PROCESSING_STATUS_LABELS[p.status]} — dernière revue ${frenchDate(p.lastReviewOn)}, prochaine revue ${frenchDate(p.nextReviewOn)} — version ${p.version}`,
    ],
  ];
}

export async function registryPdf(doc: RegistryDocument): Promise<Buffer> {
  const pdf = await newPdfDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 56, right: 56 },
    info: {
      Title: `Registre des activités de traitement — ${doc.member.name}`,
      Author: doc.member.name,
      Creator: 'Socle',
    },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  pdf.font('Helvetica-Bold').fontSize(18).text('Registre des activités de traitement');
  pdf.font('Helvetica').fontSize(10).text('Article 30 du règlement (UE) 2016/679 (RGPD)');
  pdf.moveDown();
  pdf.font('Helvetica-Bold').fontSize(12).text('Responsable de traitement');
  pdf.font('Helvetica').fontSize(10);
  pdf.text(`${doc.member.name} — SIREN ${doc.member.siren}`);
  if (doc.member.address) pdf.text(doc.member.address);
  if (doc.member.representative) pdf.text(`Représentant légal : ${doc.member.representative}`);
  pdf.moveDown(0.5);
  pdf.font('Helvetica-Bold').fontSize(12).text('Délégué à la protection des données');
  pdf.font('Helvetica').fontSize(10);
  pdf.text(`Délégué : ${orDash(doc.designation.dpoName)}`);
  pdf.text(
    `Désignation CNIL n° ${orDash(doc.designation.cnilNumber)}, du ${frenchDate(doc.designation.designatedOn)}`,
  );
  pdf.moveDown(0.5);
  pdf.text(`Registre édité le ${frenchDate(doc.editedOn)} — ${doc.processings.length} traitement(s).`);

  doc.processings.forEach((p, index) => {
    pdf.addPage();
    pdf
      .font('Helvetica-Bold')
      .fontSize(14)
      .text(`${index + 1}. ${p.name}`);
    pdf.moveDown(0.5);
    for (const [heading, text] of sectionsOf(p)) {
      pdf.font('Helvetica-Bold').fontSize(10).text(heading);
      pdf.font('Helvetica').fontSize(10).text(text, { paragraphGap: 6 });
    }
  });
  pdf.end();
  return done;
}

const COLUMNS: Column<Processing>[] = [
  { header: 'Traitement', width: 36, value: (p) => p.name },
  ...(
    [
      'Finalités',
      'Base légale',
      'Données sensibles (art. 9)',
      'Personnes concernées',
      'Catégories de données',
      'Sources et mode de collecte',
      'Destinataires',
      'Transferts hors Union européenne',
      'Durées de conservation',
      'Mesures de sécurité',
      'Logiciel',
      'Sous-traitants',
      'Service responsable',
      'Analyse d’impact (AIPD)',
    ] as const
  ).map((header, i) => ({ header, width: 30, value: (p: Processing) => sectionsOf(p)[i][1] })),
  { header: 'Statut', width: 12, value: (p) => PROCESSING_STATUS_LABELS[p.status] },
  { header: 'Dernière revue', width: 14, value: (p) => p.lastReviewOn },
  { header: 'Prochaine revue', width: 14, value: (p) => p.nextReviewOn },
  { header: 'Complétude (%)', width: 12, value: (p) => p.completion },
  { header: 'Version', width: 8, value: (p) => p.version },
  { header: 'Identifiant Socle', width: 38, value: (p) => p.id },
];

/** One row per processing, its name kept in view while scrolling through the Art. 30 columns. */
export const REGISTRY_SHEET: Sheet<Processing> = { name: 'Registre', columns: COLUMNS, frozenColumns: 1 };

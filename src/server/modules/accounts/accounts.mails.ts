import { ROLE_LABELS, type Role } from '../../../contracts/accounts.js';
import type { Mail } from '../../platform/mail/mailer.js';

const dateTime = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});

/** "12 mars 2026 à 14:32", Paris time: the people reading are in France. */
export const frenchDateTime = (at: Date) => dateTime.format(at);

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

const SIGNATURE = "--\nSocle, plateforme de l'opérateur public de services numériques\n";

function html(paragraphs: string[], link: { href: string; label: string }): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  return `<!doctype html>
<html lang="fr"><body>
${body}
<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>
</body></html>`;
}

export function passwordResetMail(to: string, link: string, expiresAt: Date): Mail {
  const intro = 'Vous avez demandé à réinitialiser votre mot de passe Socle.';
  const validity = `Ce lien ne sert qu'une fois et expire le ${frenchDateTime(expiresAt)}.`;
  const ignore =
    "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.";
  return {
    to,
    subject: 'Réinitialisation de votre mot de passe Socle',
    text: `Bonjour,\n\n${intro}\n\nPour choisir un nouveau mot de passe, ouvrez ce lien :\n${link}\n\n${validity}\n\n${ignore}\n\n${SIGNATURE}`,
    html: html(['Bonjour,', intro, validity, ignore], {
      href: link,
      label: 'Choisir un nouveau mot de passe',
    }),
  };
}

export function invitationMail(input: {
  to: string;
  link: string;
  organisationName: string;
  role: Role;
  inviterName: string;
  expiresAt: Date;
}): Mail {
  const intro = `${input.inviterName} vous invite à rejoindre « ${input.organisationName} » sur Socle, avec le rôle ${ROLE_LABELS[input.role].toLowerCase()}.`;
  const validity = `Ce lien ne sert qu'une fois et expire le ${frenchDateTime(input.expiresAt)}.`;
  const ignore = 'Si vous ne vous attendiez pas à cette invitation, ignorez ce message.';
  return {
    to: input.to,
    subject: `Invitation à rejoindre ${input.organisationName} sur Socle`,
    text: `Bonjour,\n\n${intro}\n\nPour accepter l'invitation, ouvrez ce lien :\n${input.link}\n\n${validity}\n\n${ignore}\n\n${SIGNATURE}`,
    html: html(['Bonjour,', intro, validity, ignore], { href: input.link, label: "Accepter l'invitation" }),
  };
}

export function accessRequestMail(input: {
  to: string;
  link: string;
  organisationName: string;
  agentName: string;
  agentEmail: string;
}): Mail {
  const intro = `${input.agentName} (${input.agentEmail}), identifié par ProConnect comme agent de « ${input.organisationName} », demande à accéder à Socle.`;
  const next =
    'Acceptez sa demande en choisissant son rôle, ou refusez-la : il se connectera ensuite avec ProConnect.';
  return {
    to: input.to,
    subject: `Demande d'accès à Socle pour ${input.organisationName}`,
    text: `Bonjour,\n\n${intro}\n\n${next}\n${input.link}\n\n${SIGNATURE}`,
    html: html(['Bonjour,', intro, next], { href: input.link, label: "Voir les demandes d'accès" }),
  };
}

import { PASSWORD_MIN_LENGTH } from '../../../contracts/accounts.js';

export const PASSWORD_HINT = `Au moins ${PASSWORD_MIN_LENGTH} caractères. Une phrase de plusieurs mots est plus facile à retenir.`;

/** Checked in the browser first so the person does not wait for the server to learn a typo. */
export function checkNewPassword(data: FormData, field = 'newPassword'): Record<string, string> {
  const password = String(data.get(field) ?? '');
  const confirm = String(data.get('confirmation') ?? '');
  const errors: Record<string, string> = {};
  if (password.length < PASSWORD_MIN_LENGTH)
    errors[field] = `Le mot de passe doit contenir au moins ${PASSWORD_MIN_LENGTH} caractères.`;
  if (password !== confirm) errors.confirmation = 'Les deux mots de passe saisis sont différents.';
  return errors;
}

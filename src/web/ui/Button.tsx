import { Link, type LinkProps } from '@tanstack/react-router';
import type { ButtonHTMLAttributes, ReactNode } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'tertiary' | 'danger';

function classes(variant: ButtonVariant, small?: boolean, extra?: string) {
  return ['btn', variant !== 'primary' && `btn--${variant}`, small && 'btn--small', extra]
    .filter(Boolean)
    .join(' ');
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  small?: boolean;
  /** Shows a busy state and keeps the button focusable but inert. */
  pending?: boolean;
}

export function Button({
  variant = 'primary',
  small,
  pending,
  className,
  children,
  type,
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type ?? 'button'}
      className={classes(variant, small, className)}
      aria-disabled={pending || undefined}
      {...rest}
      onClick={pending ? (e) => e.preventDefault() : rest.onClick}
    >
      {children}
      {pending && <span className="sr-only"> (en cours…)</span>}
    </button>
  );
}

export function ButtonLink({
  variant = 'primary',
  small,
  children,
  ...rest
}: LinkProps & { variant?: ButtonVariant; small?: boolean; children: ReactNode }) {
  return (
    <Link className={classes(variant, small)} {...rest}>
      {children}
    </Link>
  );
}

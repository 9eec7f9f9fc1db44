import { Link, type LinkProps, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { type FormEvent, useId } from 'react';
import { Button as AriaButton, Menu, MenuItem, MenuTrigger, Popover } from 'react-aria-components';
import { useSitsInAssemblies } from '../modules/governance/api.js';
import { Alert, Announcements, Button, PageTitle } from '../ui/index.js';
import { api, errorMessage } from './api.js';
import { useAuth, useLogout, useSwitchOrganisation } from './auth.js';
import { GlobalSearchBox } from './GlobalSearchBox.js';
import { keepsOperatorActs } from './guards.js';
import { useOperatorName } from './operator.js';

interface NavItem {
  to: LinkProps['to'];
  label: string;
  exact?: boolean;
}

function navItems(auth: ReturnType<typeof useAuth>, official: boolean): NavItem[] {
  if (auth.isOperator) {
    const items: NavItem[] = [
      { to: '/operateur', label: 'Tableau de bord', exact: true },
      { to: '/operateur/adherents', label: 'Adhérents' },
      { to: '/operateur/import', label: 'Import CSV' },
      { to: '/operateur/territoire', label: 'Territoire' },
      { to: '/operateur/catalogue', label: 'Catalogue' },
      { to: '/operateur/abonnements', label: 'Abonnements' },
    ];
    if (auth.isFinance) {
      items.push(
        { to: '/operateur/tarification', label: 'Tarification' },
        { to: '/operateur/facturation', label: 'Facturation' },
      );
    }
    if (auth.isOperatorAdmin || auth.current?.scopes.includes('dpo')) {
      items.push({ to: '/operateur/rgpd', label: 'RGPD' });
    }
    if (auth.isOperatorAdmin || auth.current?.scopes.includes('demat')) {
      items.push({ to: '/operateur/teletransmission', label: 'Télétransmission' });
    }
    if (auth.isOperatorAdmin || auth.current?.scopes.includes('governance')) {
      items.push({ to: '/operateur/assemblees', label: 'Assemblées' });
    }
    if (keepsOperatorActs(auth)) items.push({ to: '/espace/actes', label: 'Actes du syndicat' });
    if (official) items.push({ to: '/espace/elu', label: 'Espace élu' });
    if (auth.isOperatorAdmin || auth.current?.scopes.includes('cyber')) {
      items.push({ to: '/operateur/cyber', label: 'Cybersécurité' });
    }
    if (auth.isOperatorAdmin || auth.current?.scopes.includes('hosting')) {
      items.push({ to: '/operateur/hebergement', label: 'Hébergement' });
    }
    if (auth.isOperatorAdmin || auth.current?.scopes.includes('support')) {
      items.push({ to: '/operateur/assistance', label: 'Assistance' });
    }
    if (auth.isOperatorAdmin) {
      items.push(
        { to: '/operateur/utilisateurs', label: 'Utilisateurs' },
        { to: '/operateur/journal', label: 'Journal' },
        { to: '/operateur/courriels', label: 'Courriels' },
        { to: '/operateur/travaux', label: 'Travaux' },
        { to: '/operateur/webhooks', label: 'Webhooks' },
      );
    }
    return items;
  }
  const items: NavItem[] = [{ to: '/', label: 'Accueil', exact: true }];
  if (official) items.push({ to: '/espace/elu', label: 'Espace élu' });
  if (auth.current) {
    items.push({ to: '/espace', label: 'Ma structure', exact: true });
    if (auth.isMemberAdmin) {
      items.push(
        { to: '/espace/utilisateurs', label: 'Utilisateurs' },
        { to: '/espace/webhooks', label: 'Webhooks' },
      );
    }
    items.push({ to: '/espace/rgpd', label: 'RGPD' });
    items.push({ to: '/espace/actes', label: 'Actes' });
    if (auth.isMemberAdmin || auth.current.role === 'assemblees') {
      items.push({ to: '/espace/assemblees', label: 'Assemblées' });
    }
    if (auth.isMemberAdmin || auth.current.role === 'cyber') {
      items.push({ to: '/espace/cyber', label: 'Cybersécurité' });
    }
    items.push(
      { to: '/espace/assistance', label: 'Assistance' },
      { to: '/espace/services', label: 'Mes services' },
      { to: '/espace/couts', label: 'Mes coûts' },
      { to: '/espace/factures', label: 'Mes factures' },
    );
  }
  items.push(
    { to: '/catalogue', label: 'Catalogue' },
    { to: '/tarifs', label: 'Tarifs' },
    { to: '/formations', label: 'Formations' },
    { to: '/aide', label: 'Aide' },
    { to: '/adherents', label: 'Adhérents' },
    { to: '/carte', label: 'Carte' },
    { to: '/statut', label: 'État des services' },
  );
  return items;
}

function OrganisationSwitcher() {
  const auth = useAuth();
  const switchOrg = useSwitchOrganisation();
  const navigate = useNavigate();
  const id = useId();
  if (!auth.me || auth.me.organisations.length < 2) return null;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get('organisationId');
    if (typeof value !== 'string' || value === auth.current?.id) return;
    const target = auth.me?.organisations.find((o) => o.id === value);
    switchOrg.mutate(value, {
      onSuccess: () => navigate({ to: target?.kind === 'operator' ? '/operateur' : '/espace' }),
    });
  };
  return (
    <form className="row" onSubmit={submit} aria-label="Changer d'organisation">
      <label htmlFor={id} className="sr-only">
        Organisation courante
      </label>
      <select
        id={id}
        name="organisationId"
        className="select"
        defaultValue={auth.current?.id}
        key={auth.current?.id}
      >
        {auth.me.organisations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      <Button type="submit" variant="secondary" small pending={switchOrg.isPending}>
        Changer
      </Button>
      {switchOrg.isError && (
        <span role="alert" className="field__error">
          {errorMessage(switchOrg.error)}
        </span>
      )}
    </form>
  );
}

function AccountMenu() {
  const auth = useAuth();
  const logout = useLogout();
  const navigate = useNavigate();
  if (auth.isPending) return null;
  if (!auth.me) {
    return (
      <Link to="/connexion" className="btn btn--secondary btn--small">
        Se connecter
      </Link>
    );
  }
  const onAction = (key: React.Key) => {
    if (key === 'compte') navigate({ to: '/espace/compte' });
    // A ProConnect session also ends at ProConnect (its end-session endpoint), through the server.
    if (key === 'deconnexion' && auth.me?.viaProConnect) {
      api
        .post<{ redirectTo: string }>('/api/v1/auth/proconnect/logout')
        .then(({ redirectTo }) => window.location.assign(redirectTo))
        .catch(() => navigate({ to: '/connexion' }));
    } else if (key === 'deconnexion') {
      logout.mutate(undefined, { onSettled: () => navigate({ to: '/connexion' }) });
    }
  };
  return (
    <MenuTrigger>
      <AriaButton className="btn btn--tertiary btn--small">
        {auth.me.user.displayName || auth.me.user.email}
        <span className="sr-only"> — menu du compte</span>
        <span aria-hidden="true"> ▾</span>
      </AriaButton>
      <Popover className="popover" placement="bottom end">
        <Menu className="menu" onAction={onAction} aria-label="Menu du compte">
          <MenuItem id="compte" className="menu-item">
            Mon compte
          </MenuItem>
          <MenuItem id="deconnexion" className="menu-item">
            Se déconnecter
          </MenuItem>
        </Menu>
      </Popover>
    </MenuTrigger>
  );
}

/** `?embed=1` on a page that allows it (the public acts portal): the page alone, for an iframe. */
function useEmbedded(): boolean {
  return useRouterState({
    select: (state) =>
      String((state.location.search as Record<string, unknown>).embed) === '1' &&
      state.matches.some((m) => m.staticData?.embeddable),
  });
}

export function Layout() {
  const embedded = useEmbedded();
  if (embedded) {
    return (
      <main id="contenu" tabIndex={-1}>
        <Outlet />
      </main>
    );
  }
  return <FullLayout />;
}

function FullLayout() {
  const auth = useAuth();
  const operatorName = useOperatorName();
  // Elected officials (with or without a role in an organisation) reach their own space from every page.
  const official = useSitsInAssemblies(!!auth.me);
  const items = navItems(auth, official);
  return (
    <>
      <a className="skip-link" href="#contenu">
        Aller au contenu
      </a>
      <header className="site-header">
        <div className="container site-header__top">
          <Link to="/" className="brand">
            <span className="brand__mark" aria-hidden="true">
              Socle
            </span>
            <span>
              <span className="brand__name">
                {operatorName ?? 'Mutualisation numérique des collectivités'}
              </span>
              <span className="brand__tagline">
                {operatorName
                  ? 'Mutualisation numérique des collectivités'
                  : 'Opérateur public de services numériques'}
              </span>
            </span>
          </Link>
          <div className="header-tools">
            <GlobalSearchBox />
            {auth.current && auth.me?.organisations.length === 1 && auth.current.name !== operatorName && (
              <span className="muted">{auth.current.name}</span>
            )}
            <OrganisationSwitcher />
            <AccountMenu />
          </div>
        </div>
        <nav className="main-nav" aria-label="Menu principal">
          <div className="container">
            <ul>
              {items.map((item) => (
                <li key={String(item.to)}>
                  <Link to={item.to} activeOptions={{ exact: !!item.exact, includeSearch: false }}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        </nav>
      </header>
      <main id="contenu" tabIndex={-1}>
        <Announcements />
        <div className="container">
          <Outlet />
        </div>
      </main>
      <footer className="site-footer">
        <div className="container">
          <p>{operatorName} — plateforme Socle, logiciel libre sous licence EUPL-1.2.</p>
          <ul>
            <li>
              <Link to="/accessibilite">Accessibilité : partiellement conforme</Link>
            </li>
            <li>
              <Link to="/adherents">Liste publique des adhérents</Link>
            </li>
            <li>
              <Link to="/donnees-ouvertes">Données ouvertes</Link>
            </li>
            <li>
              <a href="/api/docs">Documentation de l'API</a>
            </li>
          </ul>
        </div>
      </footer>
    </>
  );
}

export function NotFoundPage() {
  return (
    <>
      <PageTitle title="Page introuvable" />
      <Alert type="warning" title="Page introuvable">
        <p>
          L'adresse demandée n'existe pas. <Link to="/">Revenir à l'accueil</Link>
        </p>
      </Alert>
    </>
  );
}

import type { RouteComponent } from '@tanstack/react-router';
import { createRootRoute, createRoute, createRouter, lazyRouteComponent } from '@tanstack/react-router';
import { ForgotPasswordPage } from '../modules/accounts/ForgotPasswordPage.js';
import { InvitationPage } from '../modules/accounts/InvitationPage.js';
import { LoginPage } from '../modules/accounts/LoginPage.js';
import { ResetPasswordPage } from '../modules/accounts/ResetPasswordPage.js';
import { AccessibilityPage } from '../modules/home/AccessibilityPage.js';
import { HomePage } from '../modules/home/HomePage.js';
import { MapPage } from '../modules/members/MapPage.js';
import { PublicMembersPage } from '../modules/members/PublicMembersPage.js';
import { Loading } from '../ui/index.js';
import { markNavigation } from './focus.js';
import { type Area, RequireArea } from './guards.js';
import { Layout, NotFoundPage } from './Layout.js';

function PageLoading() {
  return <Loading label="Chargement de la page…" />;
}

/** Signed-in areas load on demand: the public pages stay light on an old laptop. */
const AccountPage = lazyRouteComponent(() => import('../modules/accounts/AccountPage.js'), 'AccountPage');
const MyUsersPage = lazyRouteComponent(() => import('../modules/accounts/MyUsersPage.js'), 'MyUsersPage');
const MyTokensPage = lazyRouteComponent(() => import('../modules/accounts/TokensPages.js'), 'MyTokensPage');
const OperatorTokensPage = lazyRouteComponent(
  () => import('../modules/accounts/TokensPages.js'),
  'OperatorTokensPage',
);
const AccessRequestsPage = lazyRouteComponent(
  () => import('../modules/accounts/AccessRequestsPage.js'),
  'AccessRequestsPage',
);
const OperatorUsersPage = lazyRouteComponent(
  () => import('../modules/accounts/OperatorUsersPage.js'),
  'OperatorUsersPage',
);
const SearchPage = lazyRouteComponent(() => import('../modules/search/SearchPage.js'), 'SearchPage');
const AuditPage = lazyRouteComponent(() => import('../modules/audit/AuditPage.js'), 'AuditPage');
const JobsPage = lazyRouteComponent(() => import('../modules/jobs/JobsPage.js'), 'JobsPage');
const MailPage = lazyRouteComponent(() => import('../modules/mail/MailPage.js'), 'MailPage');
const OutboxPage = lazyRouteComponent(() => import('../modules/mail/OutboxPage.js'), 'OutboxPage');
const DashboardPage = lazyRouteComponent(
  () => import('../modules/members/DashboardPage.js'),
  'DashboardPage',
);
const ImportPage = lazyRouteComponent(() => import('../modules/members/ImportPage.js'), 'ImportPage');
const MemberPage = lazyRouteComponent(() => import('../modules/members/member/MemberPage.js'), 'MemberPage');
const MyStructurePage = lazyRouteComponent(
  () => import('../modules/members/member/MyStructurePage.js'),
  'MyStructurePage',
);
const NewMemberPage = lazyRouteComponent(
  () => import('../modules/members/NewMemberPage.js'),
  'NewMemberPage',
);
const OperatorMembersPage = lazyRouteComponent(
  () => import('../modules/members/OperatorMembersPage.js'),
  'OperatorMembersPage',
);
const EpciPage = lazyRouteComponent(() => import('../modules/territory/EpciPage.js'), 'EpciPage');
const TerritoryPage = lazyRouteComponent(
  () => import('../modules/territory/TerritoryPage.js'),
  'TerritoryPage',
);

const CataloguePage = lazyRouteComponent(
  () => import('../modules/catalogue/CataloguePage.js'),
  'CataloguePage',
);
const ServicePage = lazyRouteComponent(() => import('../modules/catalogue/ServicePage.js'), 'ServicePage');
const OperatorCataloguePage = lazyRouteComponent(
  () => import('../modules/catalogue/operator-catalogue/OperatorCataloguePage.js'),
  'OperatorCataloguePage',
);
const MyServicesPage = lazyRouteComponent(
  () => import('../modules/subscriptions/MyServicesPage.js'),
  'MyServicesPage',
);
const OperatorSubscriptionsPage = lazyRouteComponent(
  () => import('../modules/subscriptions/operator-subscriptions/OperatorSubscriptionsPage.js'),
  'OperatorSubscriptionsPage',
);
const OpenDataPage = lazyRouteComponent(() => import('../modules/opendata/OpenDataPage.js'), 'OpenDataPage');
const WebhooksPage = lazyRouteComponent(() => import('../modules/webhooks/WebhooksPage.js'), 'WebhooksPage');
const OperatorWebhooksPage = lazyRouteComponent(
  () => import('../modules/webhooks/WebhooksPage.js'),
  'OperatorWebhooksPage',
);
const PublicPricesPage = lazyRouteComponent(
  () => import('../modules/pricing/PublicPricesPage.js'),
  'PublicPricesPage',
);
const MyCostsPage = lazyRouteComponent(() => import('../modules/pricing/MyCostsPage.js'), 'MyCostsPage');
const OperatorPricingPage = lazyRouteComponent(
  () => import('../modules/pricing/operator-pricing/OperatorPricingPage.js'),
  'OperatorPricingPage',
);
const MyInvoicesPage = lazyRouteComponent(
  () => import('../modules/billing/MyInvoicesPage.js'),
  'MyInvoicesPage',
);
const OperatorBillingPage = lazyRouteComponent(
  () => import('../modules/billing/operator-billing/OperatorBillingPage.js'),
  'OperatorBillingPage',
);

/** The RGPD pages share one on-demand chunk. */
const rgpd = (name: keyof typeof import('../modules/rgpd/pages.js')) =>
  lazyRouteComponent(() => import('../modules/rgpd/pages.js'), name);

/** The signed-in acts pages share one on-demand chunk; the public portal has its own, lighter one. */
const acts = (name: keyof typeof import('../modules/acts/pages.js')) =>
  lazyRouteComponent(() => import('../modules/acts/pages.js'), name);
/** The governance pages (assemblies, sessions, the elected officials' space) share one on-demand chunk. */
const governance = (name: keyof typeof import('../modules/governance/pages.js')) =>
  lazyRouteComponent(() => import('../modules/governance/pages.js'), name);
/** The hosting pages (public status, hosting team) share one on-demand chunk. */
const hosting = (name: keyof typeof import('../modules/hosting/pages.js')) =>
  lazyRouteComponent(() => import('../modules/hosting/pages.js'), name);
/** The cybersecurity pages (member and operator) share one on-demand chunk. */
const cyber = (name: keyof typeof import('../modules/cyber/pages.js')) =>
  lazyRouteComponent(() => import('../modules/cyber/pages.js'), name);
/** The support desk's pages (member and operator) share one on-demand chunk. */
const support = (name: keyof typeof import('../modules/support/pages.js')) =>
  lazyRouteComponent(() => import('../modules/support/pages.js'), name);
const PublicActsPage = lazyRouteComponent(
  () => import('../modules/acts/PublicActsPage.js'),
  'PublicActsPage',
);

/** Search params arrive as strings or numbers; keep the non-empty strings we know. */
function pick<K extends string>(keys: readonly K[]) {
  return (search: Record<string, unknown>): Partial<Record<K, string>> => {
    const out: Partial<Record<K, string>> = {};
    for (const key of keys) {
      const value = search[key];
      if (value !== undefined && value !== null && value !== '') out[key] = String(value);
    }
    return out;
  };
}

function guarded(area: Area, Page: RouteComponent) {
  return function GuardedPage() {
    return (
      <RequireArea area={area}>
        <Page />
      </RequireArea>
    );
  };
}

const rootRoute = createRootRoute({ component: Layout, notFoundComponent: NotFoundPage });

function route<TPath extends string>(path: TPath, component: RouteComponent) {
  return createRoute({ getParentRoute: () => rootRoute, path, component });
}

function searchRoute<TPath extends string, K extends string>(
  path: TPath,
  component: RouteComponent,
  keys: readonly K[],
) {
  return createRoute({ getParentRoute: () => rootRoute, path, component, validateSearch: pick(keys) });
}

/** A public page that may also be shown alone, for an iframe on a member's website (`?embed=1`). */
function embeddableRoute<TPath extends string, K extends string>(
  path: TPath,
  component: RouteComponent,
  keys: readonly K[],
) {
  return createRoute({
    getParentRoute: () => rootRoute,
    path,
    component,
    validateSearch: pick(keys),
    staticData: { embeddable: true },
  });
}

export const memberFilters = ['q', 'kind', 'departement', 'status', 'sort'] as const;
const actFilters = ['q', 'statut', 'nature', 'matiere', 'du', 'au'] as const;
const publicActFilters = ['q', 'nature', 'matiere', 'du', 'au', 'embed'] as const;

/** Routes whose page may be shown alone, without the header and footer, with `?embed=1` (an iframe). */
declare module '@tanstack/react-router' {
  interface StaticDataRouteOption {
    embeddable?: boolean;
  }
}

const routeTree = rootRoute.addChildren([
  route('/', HomePage),
  searchRoute('/adherents', PublicMembersPage, memberFilters),
  route('/carte', MapPage),
  route('/adherents/$memberId/registre', rgpd('PublicRegistryPage')),
  embeddableRoute('/adherents/$memberId/actes', PublicActsPage, publicActFilters),
  route('/organisations/$organisationId/deliberations', governance('PublicDeliberationsPage')),
  searchRoute('/connexion', LoginPage, ['retour', 'proconnect']),
  route('/mot-de-passe-oublie', ForgotPasswordPage),
  searchRoute('/reinitialiser-mot-de-passe', ResetPasswordPage, ['jeton']),
  searchRoute('/invitation', InvitationPage, ['jeton']),
  searchRoute('/convocation', governance('ConvocationPage'), ['jeton']),
  route('/accessibilite', AccessibilityPage),
  route('/statut', hosting('StatusPage')),
  route('/statut/incidents/$incidentId', hosting('StatusIncidentPage')),
  searchRoute('/catalogue', CataloguePage, ['domaine']),
  route('/catalogue/$serviceId', ServicePage),
  searchRoute('/tarifs', PublicPricesPage, ['annee']),
  route('/donnees-ouvertes', OpenDataPage),
  searchRoute('/recherche', guarded('signed-in', SearchPage), ['q']),
  searchRoute('/espace', guarded('member', MyStructurePage), ['onglet']),
  route('/espace/utilisateurs', guarded('member-admin', MyUsersPage)),
  route('/espace/jetons', guarded('member', MyTokensPage)),
  route('/espace/demandes-acces', guarded('member-admin', AccessRequestsPage)),
  route('/espace/webhooks', guarded('member-admin', WebhooksPage)),
  route('/espace/compte', guarded('signed-in', AccountPage)),
  route('/espace/rgpd', guarded('member', rgpd('MyRegistryPage'))),
  route('/espace/rgpd/traitements/$processingId', guarded('member', rgpd('MyProcessingPage'))),
  route('/espace/rgpd/demandes', guarded('member', rgpd('MyRequestsPage'))),
  route('/espace/rgpd/violations', guarded('member', rgpd('MyBreachesPage'))),
  searchRoute('/espace/actes', guarded('acts', acts('ActsRegisterPage')), actFilters),
  route('/espace/actes/nouveau', guarded('acts', acts('NewActPage'))),
  route('/espace/actes/$actId', guarded('acts', acts('ActPage'))),
  route('/espace/assemblees', guarded('member', governance('AssembliesPage'))),
  route('/espace/assemblees/$assemblyId', guarded('member', governance('AssemblyPage'))),
  route('/espace/assemblees/$assemblyId/nouvelle-seance', guarded('member', governance('NewSessionPage'))),
  route('/espace/seances/$sessionId', guarded('member', governance('SessionPage'))),
  route('/espace/delegues', guarded('member', governance('DelegatesPage'))),
  route('/espace/elu', guarded('signed-in', governance('OfficialSpacePage'))),
  route('/espace/elu/syndicat', guarded('signed-in', governance('OperatorOverviewPage'))),
  route('/espace/elu/assemblees/$assemblyId', guarded('signed-in', governance('AssemblyPage'))),
  route('/espace/elu/seances/$sessionId', guarded('signed-in', governance('SessionPage'))),
  route('/aide', support('HelpPage')),
  route('/aide/$articleId', support('ArticlePage')),
  route('/formations', support('TrainingCalendarPage')),
  route('/formations/$sessionId', support('TrainingSessionPage')),
  route('/espace/assistance', guarded('member', support('MyTicketsPage'))),
  route('/espace/assistance/nouveau', guarded('member', support('NewTicketPage'))),
  route('/espace/assistance/$ticketId', guarded('member', support('MyTicketPage'))),
  // Training follow-up: the attendee's survey link, the member's registrations and certificates.
  route('/formations/avis/$token', support('TrainingSurveyPage')),
  route('/espace/formations', guarded('member', support('MyTrainingsPage'))),
  route('/espace/cyber', guarded('member-cyber', cyber('CyberOverviewPage'))),
  route('/espace/cyber/inventaire', guarded('member-cyber', cyber('InventoryPage'))),
  route('/espace/cyber/inventaire/import', guarded('member-cyber', cyber('InventoryImportPage'))),
  route('/espace/cyber/diagnostics', guarded('member-cyber', cyber('DiagnosticsPage'))),
  route('/espace/cyber/diagnostics/nouveau', guarded('member-cyber', cyber('NewDiagnosticPage'))),
  route('/espace/cyber/diagnostics/$diagnosticId', guarded('member-cyber', cyber('DiagnosticPage'))),
  route('/espace/cyber/avis', guarded('member-cyber', cyber('MyAdvisoriesPage'))),
  route('/espace/cyber/avis/$advisoryId', guarded('member-cyber', cyber('MyAdvisoryPage'))),
  route('/espace/cyber/incidents', guarded('member-cyber', cyber('IncidentsPage'))),
  route('/espace/cyber/incidents/nouveau', guarded('member-cyber', cyber('NewIncidentPage'))),
  route('/espace/cyber/incidents/$incidentId', guarded('member-cyber', cyber('IncidentPage'))),
  route('/espace/services', guarded('member', MyServicesPage)),
  searchRoute('/espace/couts', guarded('member', MyCostsPage), ['annee']),
  route('/espace/factures', guarded('member', MyInvoicesPage)),
  route('/operateur', guarded('operator', DashboardPage)),
  searchRoute('/operateur/adherents', guarded('operator', OperatorMembersPage), memberFilters),
  route('/operateur/adherents/nouveau', guarded('operator', NewMemberPage)),
  searchRoute('/operateur/adherents/$memberId', guarded('operator', MemberPage), ['onglet']),
  route('/operateur/import', guarded('operator', ImportPage)),
  searchRoute('/operateur/territoire', guarded('operator', TerritoryPage), ['q', 'departement', 'vue']),
  route('/operateur/territoire/epci/$code', guarded('operator', EpciPage)),
  route('/operateur/utilisateurs', guarded('operator-admin', OperatorUsersPage)),
  route('/operateur/jetons', guarded('operator-admin', OperatorTokensPage)),
  route('/operateur/webhooks', guarded('operator-admin', OperatorWebhooksPage)),
  searchRoute('/operateur/journal', guarded('operator-admin', AuditPage), ['action']),
  route('/operateur/courriels', guarded('operator-admin', OutboxPage)),
  route('/operateur/courriels/$mailId', guarded('operator-admin', MailPage)),
  searchRoute('/operateur/travaux', guarded('operator-admin', JobsPage), ['etat']),
  searchRoute('/operateur/rgpd', guarded('operator', rgpd('DpoDashboardPage')), [
    'q',
    'departement',
    'kind',
    'sort',
  ]),
  searchRoute('/operateur/rgpd/modeles', guarded('operator', rgpd('TemplatesPage')), ['q', 'kind']),
  route('/operateur/rgpd/modeles/nouveau', guarded('operator', rgpd('NewTemplatePage'))),
  route('/operateur/rgpd/modeles/$templateId', guarded('operator', rgpd('TemplatePage'))),
  route('/operateur/rgpd/sous-traitants', guarded('operator', rgpd('ProcessorsPage'))),
  route('/operateur/rgpd/adherents/$memberId', guarded('operator', rgpd('OperatorMemberRegistryPage'))),
  route(
    '/operateur/rgpd/adherents/$memberId/traitements/$processingId',
    guarded('operator', rgpd('OperatorProcessingPage')),
  ),
  route(
    '/operateur/rgpd/adherents/$memberId/traitements/$processingId/copie',
    guarded('operator', rgpd('CopyProcessingPage')),
  ),
  searchRoute('/operateur/teletransmission', guarded('operator', acts('TransmissionsPage')), [
    'statut',
    'structure',
  ]),
  route('/operateur/assemblees', guarded('operator-governance', governance('AssembliesPage'))),
  route('/operateur/assemblees/$assemblyId', guarded('operator-governance', governance('AssemblyPage'))),
  route(
    '/operateur/assemblees/$assemblyId/nouvelle-seance',
    guarded('operator-governance', governance('NewSessionPage')),
  ),
  route('/operateur/seances/$sessionId', guarded('operator-governance', governance('SessionPage'))),
  route('/operateur/assistance', guarded('operator-support', support('SupportQueuePage'))),
  route('/operateur/assistance/$ticketId', guarded('operator-support', support('SupportTicketPage'))),
  // The support team's training sessions, knowledge base and service levels.
  route('/operateur/formations', guarded('operator-support', support('OperatorTrainingsPage'))),
  route('/operateur/formations/nouvelle', guarded('operator-support', support('NewTrainingSessionPage'))),
  route('/operateur/formations/bilan', guarded('operator-support', support('TrainingReportPage'))),
  route(
    '/operateur/formations/$sessionId',
    guarded('operator-support', support('OperatorTrainingSessionPage')),
  ),
  route('/operateur/assistance/articles', guarded('operator-support', support('OperatorArticlesPage'))),
  route('/operateur/assistance/articles/nouveau', guarded('operator-support', support('NewArticlePage'))),
  route('/operateur/assistance/articles/$articleId', guarded('operator-support', support('EditArticlePage'))),
  route('/operateur/assistance/niveaux', guarded('operator-support', support('ServiceLevelsPage'))),
  route('/operateur/cyber', guarded('operator-cyber', cyber('CyberDashboardPage'))),
  route('/operateur/hebergement', guarded('operator-hosting', hosting('HostingTeamPage'))),
  searchRoute('/operateur/cyber/avis', guarded('operator-cyber', cyber('AdvisoriesPage')), ['q', 'gravite']),
  route('/operateur/cyber/avis/importer', guarded('operator-cyber', cyber('ImportAdvisoryPage'))),
  searchRoute('/operateur/cyber/avis/$advisoryId', guarded('operator-cyber', cyber('ExposurePage')), [
    'etat',
  ]),
  searchRoute('/operateur/cyber/adherents', guarded('operator-cyber', cyber('CyberMembersPage')), [
    'q',
    'maturite',
  ]),
  route('/operateur/cyber/adherents/$memberId', guarded('operator-cyber', cyber('CyberMemberPage'))),
  route('/operateur/cyber/reglages', guarded('operator-cyber', cyber('CyberSettingsPage'))),
  route(
    '/operateur/cyber/adherents/$memberId/avis/$advisoryId',
    guarded('operator-cyber', cyber('MemberAdvisoryPage')),
  ),
  route(
    '/operateur/cyber/adherents/$memberId/incidents/$incidentId',
    guarded('operator-cyber', cyber('MemberIncidentPage')),
  ),
  searchRoute('/operateur/catalogue', guarded('operator', OperatorCataloguePage), ['service']),
  searchRoute('/operateur/abonnements', guarded('operator', OperatorSubscriptionsPage), ['service']),
  searchRoute('/operateur/tarification', guarded('operator-finance', OperatorPricingPage), [
    'annee',
    'service',
  ]),
  searchRoute('/operateur/facturation', guarded('operator-finance', OperatorBillingPage), [
    'q',
    'annee',
    'statut',
  ]),
]);

export const router = createRouter({
  routeTree,
  defaultPreload: false,
  scrollRestoration: true,
  // A page whose code is still loading (signed-in areas load on demand) says so, never a blank area.
  defaultPendingComponent: PageLoading,
  defaultPendingMs: 150,
});

router.subscribe('onBeforeNavigate', (event) => {
  if (event.fromLocation && event.pathChanged) markNavigation();
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
